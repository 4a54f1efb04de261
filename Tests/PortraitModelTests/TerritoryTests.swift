import PortraitGeometry
import PortraitModel
import Testing

struct TerritoryTests {
    @Test(arguments: [("1", "01"), ("01", "01"), (" 17 ", "17")])
    func regionCodesAreNormalisedOnce(_ raw: String, _ code: String) throws {
        let t = try Territory.region(raw)
        #expect(t.level == .region && t.code == code)
        // Without its layer, a region is named by its official name; a code outside the 17 by its code.
        #expect(t.description == "région \(code)" && t.fallbackName == ["01": "Bas-Saint-Laurent", "17": "Centre-du-Québec"][code])
        #expect(try Territory.region("18").fallbackName == "Région 18")
    }

    @Test(arguments: [("7", "07"), ("10", "10"), ("371", "371"), ("007", "07")])
    func mrcCodesAreNormalisedOnce(_ raw: String, _ code: String) throws {
        #expect(try Territory.mrc(raw).code == code)
    }

    @Test(arguments: [(Level.region, "abc"), (.region, "123"), (.mrc, "1234"), (.mrc, ""), (.region, "-1")])
    func badCodesAreInvalidInput(_ level: Level, _ raw: String) {
        #expect { try Territory(level, code: raw) } throws: { e in
            (e as? TerritoryError)?.kind == .invalidInput && "\(e)".contains("« \(raw) »")
        }
    }

    @Test func municipalitiesAreTerritoriesWithFiveDigitCodes() throws {
        let t = try Territory.municipality("7005")
        #expect(t.kind == .municipality && t.level == .municipality && t.code == "07005" && t.slug == "municipality-07005")
        #expect { try Territory.municipality("123456") } throws: { ErrorKind.of($0) == .invalidInput && "\($0)".contains("« 123456 »") }
    }

    @Test func inlineCodesAreNormalisedSortedAndEveryBadOneNamed() throws {
        let t = try Territory.codes("10070, 7005;10070 10060")
        #expect(t.kind == .custom && t.level == nil && t.codes == ["07005", "10060", "10070"])
        #expect(t.query == "codes=07005,10060,10070")
        #expect { try Territory.codes("10070,abc,1234567") } throws: { e in
            ErrorKind.of(e) == .invalidInput && "\(e)".contains("« abc »") && "\(e)".contains("« 1234567 »")
        }
        #expect { try Territory.codes(" , ") } throws: { ErrorKind.of($0) == .invalidInput }
    }

    @Test func customTerritoriesAreNamedByTheirIdentifier() throws {
        #expect(try Territory.custom("Haut-Pays de la Neigette").code == "haut-pays-de-la-neigette")
        #expect(try Territory.custom("HAUT PAYS de la neigette") == Territory.custom("haut-pays-de-la-neigette"))
        #expect { try Territory.custom(" -- ") } throws: { ErrorKind.of($0) == .invalidInput }
        #expect(Territory.all.kind == .all && Territory.all.level == nil)
    }

    /// The one parser both edges use for a kind and a code, and for a `KIND:CODE` reference.
    @Test func kindsAndReferencesAreParsedInOnePlace() throws {
        #expect(try Territory(kind: "municipality", code: "7005") == Territory.municipality("07005"))
        #expect(try Territory(kind: "all", code: "anything") == .all)
        #expect(try Territory(kind: "territory", code: "Est") == Territory.custom("est"))
        #expect(try Territory(kind: "codes", code: "10070,10060").codes == ["10060", "10070"])
        #expect(try Territory.reference("mrc:7") == Territory.mrc("07") && Territory.reference("all") == .all)
        for bad in ["planete:1", "mrc", "", "region:abc"] {
            #expect { try Territory.reference(bad) } throws: { ErrorKind.of($0) == .invalidInput }
        }
        #expect { try Territory(kind: "planete", code: "1") } throws: { "\($0)".contains("« planete »") }
    }

    @Test func containsByParentCode() throws {
        let u = TerritorialUnit(level: .municipality, code: "10043", name: "Rimouski", mrcCode: "10", regionCode: "01", areaKm2: 1,
                                geometry: MultiPolygon([]))
        #expect(try Territory.region("1").contains(u))
        #expect(try Territory.mrc("10").contains(u))
        #expect(try !Territory.mrc("11").contains(u))
        #expect(try Territory.municipality("10043").contains(u) && Territory.all.contains(u))
        #expect(try Territory.codes("10043,10070").contains(u) && !Territory.codes("10070").contains(u))
        // A stored custom territory needs its members.
        #expect(try !Territory.custom("x").contains(u) && Territory.custom("x").contains(u, members: ["10043"]))
    }
}

struct ErrorKindTests {
    struct Plain: Error {}

    @Test func undeclaredErrorsAreInternal() {
        #expect(ErrorKind.of(Plain()) == .internal)
        #expect(ErrorKind.of(TerritoryError.notFound("x")) == .notFound)
        #expect(ErrorKind.of(TerritoryError.invalid("x")) == .invalidInput)
    }

    @Test func everyKindHasAStableWireName() {
        #expect(ErrorKind.allCases.map(\.rawValue) == ["introuvable", "requete_invalide", "interdit", "indisponible", "erreur_interne"])
    }

    @Test func phrasesPickTheLanguage() {
        let p = Phrase("Littoral", "Coast")
        #expect(p(.fr) == "Littoral" && p(.en) == "Coast")
    }
}
