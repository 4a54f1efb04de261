import PortraitGeometry
import PortraitModel
import Testing

struct TerritoryTests {
    @Test(arguments: [("1", "01"), ("01", "01"), (" 17 ", "17")])
    func regionCodesAreNormalisedOnce(_ raw: String, _ code: String) throws {
        let t = try Territory.region(raw)
        #expect(t.level == .region && t.code == code)
        #expect(t.description == "région \(code)" && t.fallbackName == "Région \(code)")
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

    @Test func municipalitiesAreNotTerritoriesOfAPortrait() {
        #expect { try Territory(.municipality, code: "10043") } throws: { ErrorKind.of($0) == .invalidInput }
    }

    @Test func containsByParentCode() throws {
        let u = TerritorialUnit(level: .municipality, code: "10043", name: "Rimouski", mrcCode: "10", regionCode: "01", areaKm2: 1,
                                geometry: MultiPolygon([]))
        #expect(try Territory.region("1").contains(u))
        #expect(try Territory.mrc("10").contains(u))
        #expect(try !Territory.mrc("11").contains(u))
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
        #expect(ErrorKind.allCases.map(\.rawValue) == ["introuvable", "requete_invalide", "indisponible", "erreur_interne"])
    }

    @Test func phrasesPickTheLanguage() {
        let p = Phrase("Littoral", "Coast")
        #expect(p(.fr) == "Littoral" && p(.en) == "Coast")
    }
}
