import Foundation
@testable import PortraitImport
import PortraitModel
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// Real tables (../shared/geodata): the MAMH register of all 1,285 Quebec entities joined by name with its codes
/// withheld, the 2021 census of Bas-Saint-Laurent cut at every point of one row, and the same census saved in
/// other layouts, whose region-01 portrait must be the code-joined one.
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct RealTablesTests {
    static func bslStore(_ dir: String) throws -> String {
        let s = dir + "/bsl.gpkg"
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/bsl_municipalites_sda.geojson"), options: .init(level: .municipality), storePath: s)
        return s
    }

    // MARK: the MAMH register, names only

    struct RegisterRow { var code, name, designation, mrc, region, area, population: String }

    static func register() throws -> [RegisterRow] {
        let l = try DelimitedText.read(file: try RealData.path("population/mamh_repertoire_municipalites_2025.csv"))
        return l.features.map { f in
            func t(_ k: String) -> String { f.attributes[k]?.text ?? "" }
            return RegisterRow(code: t("mcode"), name: t("munnom"), designation: t("mdes"), mrc: t("mrc"), region: t("regadm"),
                               area: t("msuperf"), population: t("mpopul"))
        }
    }

    /// The register without its codes, with the columns asked for; names optionally written as Statistics Canada
    /// does (footnote numbers, « St- », typographic apostrophes).
    static func namesOnly(_ rows: [RegisterRow], columns: [String], decorated: Bool, dir: String, name: String) throws -> String {
        var out = (["munnom"] + columns + ["mpopul"]).joined(separator: ";") + "\n"
        for (i, r) in rows.enumerated() {
            var n = r.name
            if decorated {
                if i % 3 == 0 { n = n.replacingOccurrences(of: "Saint-", with: "St-").replacingOccurrences(of: "Sainte-", with: "Ste-") }
                if i % 4 == 1 || n == "Rimouski" || n == "Saint-Damase" { n += " \(i % 9 + 1)" }
                n = n.replacingOccurrences(of: "'", with: "’")
            }
            var cells = [n]
            for c in columns {
                switch c {
                case "mdes": cells.append(r.designation)
                case "mrc": cells.append(r.mrc)
                case "regadm": cells.append(r.region)
                case "msuperf": cells.append(r.area)
                default: break
                }
            }
            cells.append(r.population)
            out += cells.joined(separator: ";") + "\n"
        }
        return try write(out, name, in: dir)
    }

    @Test func theRegisterJoinedByNameNeverGivesAWrongValue() throws {
        let dir = tempDir()
        let store = try Self.bslStore(dir)
        let rows = try Self.register()
        #expect(rows.count == 1_285)
        let s = try Stores.open(store)
        let units = try s.units(.municipality, withGeometry: false).filter { !$0.isAquatic }
        let unitCodes = Set(units.map(\.code))
        // Ground truth: the register's own codes, carried by the code changes (14080 + 14085 + 14090 → 14082).
        var truth: [String: Double] = [:]
        var namesOf: [String: [String]] = [:]
        for r in rows {
            let current = CodeChanges.builtIn.current(r.code)
            guard unitCodes.contains(current) else { continue }
            truth[current, default: 0] += Double(r.population)!
            namesOf[current, default: []].append(r.name)
        }
        var keyCount: [String: Int] = [:]
        for r in rows { keyCount[MunicipalName(r.name).key, default: 0] += 1 }
        let unique = Set(namesOf.filter { $0.value.allSatisfy { keyCount[MunicipalName($0).key] == 1 } }.keys)
        let homonyms = Set(namesOf.keys).subtracting(unique)
        #expect(homonyms == ["07030", "07105", "08023", "09020", "09030", "11030", "12005", "12057", "12804"])
        #expect(unique.contains("10043") && unique.contains("14082") && unique.count >= 115)

        let cases: [(columns: [String], decorated: Bool, resolvesAll: Bool)] = [
            ([], false, false), ([], true, false), (["mdes"], false, false), (["mrc"], true, false),
            (["mdes", "mrc"], false, true), (["mdes", "mrc", "regadm", "msuperf"], true, true),
        ]
        for (i, c) in cases.enumerated() {
            let vintage = 2030 + i
            let f = try Self.namesOnly(rows, columns: c.columns, decorated: c.decorated, dir: dir, name: "mamh_sans_codes_\(i).csv")
            var o = IndicatorImportOptions(vintage: vintage, nameField: "munnom", valueFields: ["population=mpopul"])
            o.join = .name
            let r = try IndicatorImporter.run(file: f, options: o, storePath: store)
            let stored = try s.indicatorValues("population", vintage: vintage, level: .municipality)
            let label = "colonnes \(c.columns), décorés \(c.decorated)"
            // No value is wrong.
            for (code, v) in stored { #expect(v == .value(truth[code] ?? -1), "\(label) : \(code) \(v) ≠ \(truth[code] ?? -1)") }
            // Every unit whose name is unique in Quebec is joined, Rimouski ("Rimouski 4" when decorated) included.
            for code in unique { #expect(stored[code] != nil, "\(label) : \(code) \(namesOf[code] ?? []) non joint") }
            #expect(stored["10043"] == .value(51_188))
            // Every homonym is resolved by a column or listed as ambiguous, with its rows.
            let how = Dictionary(uniqueKeysWithValues: r.join.units.map { ($0.code, $0) })
            for code in homonyms {
                if stored[code] == nil {
                    #expect(how[code]?.how == "ambigu" && !(how[code]?.rows.isEmpty ?? true), "\(label) : \(code) ni joint ni ambigu (\(how[code]?.how ?? "-"))")
                    #expect(!c.resolvesAll, "\(label) : \(code) non résolu")
                }
            }
            if c.columns.isEmpty {
                #expect(homonyms.allSatisfy { stored[$0] == nil }, "\(label)")
                #expect(Set(r.join.ambiguous.map { MunicipalName($0.name).key }).isSuperset(of: ["saint_damase", "sainte_felicite", "saint_leon_le_grand", "cacouna"]))
            }
            if c.columns == ["mdes"] {
                // The designation tells Saint-Damase (parish) from Saint-Damase (municipality), not the two parishes of Saint-Léon-le-Grand.
                #expect(how["07105"]?.how == "nom+designation" && stored["07030"] == nil && stored["08023"] == nil)
                #expect(homonyms.filter { stored[$0] != nil }.count == 7)
            }
            if c.columns == ["mrc"] { #expect(how["07030"]?.how == "nom+mrc" && stored["07030"] == .value(984)) }
            if c.resolvesAll { #expect(Set(stored.keys) == Set(truth.keys), "\(label)") }
            // The merged former municipalities of La Pocatière are summed through the code changes.
            #expect(stored["14082"] == .value(truth["14082"]!), "\(label)")
            #expect(r.join.layout?.separator == ";")
        }
    }

    /// The built-in homonyms (`scripts/quebec-homonyms`) are exactly the register's entities whose name is shared,
    /// with their designation, MRC, region and area; and no built-in former name is another unit's current name
    /// unless that name is among the homonyms (Sainte-Jeanne-d'Arc).
    @Test func theBuiltInHomonymsAreTheRegisters() throws {
        let rows = try Self.register()
        var byKey: [String: [RegisterRow]] = [:]
        for r in rows { byKey[MunicipalName(r.name).key, default: []].append(r) }
        let shared = byKey.values.filter { $0.count > 1 }.flatMap { $0 }
        #expect(byKey.values.filter { $0.count > 1 }.count == 59)
        let builtIn = Dictionary(uniqueKeysWithValues: QuebecHomonyms.parsed.map { ($0.code, $0) })
        #expect(builtIn.count == shared.count)
        for r in shared {
            let b = try #require(builtIn[r.code], "\(r.code) \(r.name) absent")
            #expect(b.name == r.name && b.area == Double(r.area), "\(r.code)")
            #expect(b.designation == Designation.parse(r.designation) || (b.designation == nil && r.designation.hasPrefix("Gouvernement")), "\(r.code) \(r.designation)")
            #expect(b.mrcCode == NameJoin.codes(in: r.mrc).first.map(NameJoin.sdaMRC), "\(r.code) \(r.mrc)")
            #expect(b.regionCode == NameJoin.codes(in: r.region).first, "\(r.code)")
        }
        for f in NameJoin.builtInFormerNames {
            let others = (byKey[MunicipalName(f.name).key] ?? []).filter { CodeChanges.builtIn.current($0.code) != CodeChanges.builtIn.current(f.code) }
            #expect(others.isEmpty || builtIn[others[0].code] != nil, "\(f.name) : \(others.map(\.code))")
        }
    }

    // MARK: the census cut inside one row

    static func census() throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: try RealData.path("population/recensement_2021_sdr_bsl.csv")))) }

    @Test func theCensusCutAnywhereInRimouskisRowIsNeverReadAsAShorterFile() throws {
        let dir = tempDir()
        let bytes = try Self.census()
        let needle = Array("\n10043,".utf8)
        let startByte = bytes.indices.first { i in bytes[i...].starts(with: needle) }! + 1
        let end = bytes[startByte...].firstIndex(of: 0x0A)!
        let lastComma = bytes[startByte..<end].lastIndex(of: 0x2C)!
        let path = dir + "/recensement_coupe.csv"
        let preset = IndicatorImportOptions(vintage: 2021, preset: .statcanCensus)
        var lastRead = IndicatorImportOptions(vintage: 2021, preset: .statcanCensus)
        lastRead.valueFields = ["population=population_2021", "type_maison_rangee"]
        let full = try IndicatorTable.read(file: try RealData.path("population/recensement_2021_sdr_bsl.csv"), options: preset)
        let rimouski = full.rows.first { $0.code == "10043" }!
        var refused = 0, warned = 0
        for cut in (startByte + 1)..<end {
            try Data(bytes[0..<cut]).write(to: URL(fileURLWithPath: path))
            do {
                let t = try IndicatorTable.read(file: path, options: preset)
                // Only a cut inside the last column, which the preset does not read, is read: Rimouski's figures whole, the cut warned about.
                #expect(cut > lastComma, "coupé à \(cut - startByte) : lu")
                #expect(t.rows.last?.code == "10043" && t.rows.last?.values == rimouski.values)
                #expect(t.layout?.unterminatedRow == 62)
                warned += 1
            } catch let e as ImportError {
                #expect(e.reason == .truncated && e.description.contains("fichier tronqué ?") && e.location == "ligne 62", "\(e)")
                refused += 1
            }
            // Read with its last column, the file is refused at every cut.
            #expect(throws: ImportError.self) { try IndicatorTable.read(file: path, options: lastRead) }
        }
        #expect(refused >= end - startByte - 7 && warned <= 5 && refused + warned == end - startByte - 1)
        // Through the importer: refused, the store unchanged, never Rimouski at 489.
        let store = try Self.bslStore(dir)
        try Data(bytes[0..<(startByte + 150)]).write(to: URL(fileURLWithPath: path))
        let before = fingerprint(store)
        #expect(throws: ImportError.self) { try IndicatorImporter.run(file: path, options: preset, storePath: store) }
        #expect(fingerprint(store) == before)
    }

    // MARK: the census in other layouts: the same portrait

    @Test func theCensusInOtherLayoutsGivesTheSamePortrait() throws {
        let census = try String(contentsOfFile: try RealData.path("population/recensement_2021_sdr_bsl.csv"), encoding: .utf8)
        let parsed = try DelimitedText.read(file: try RealData.path("population/recensement_2021_sdr_bsl.csv"))
        let header = parsed.fields
        let rows = parsed.features.map { f in header.map { f.attributes[$0]?.text ?? "" } }
        #expect(rows.count == 128 && census.hasPrefix("code_geo,nom"))
        let numeric = Set(header.indices.filter { !["code_geo", "nom", "niveau"].contains(header[$0]) })
        func portrait(_ file: String, _ dir: String) throws -> Data {
            let store = try Self.bslStore(dir)
            _ = try IndicatorImporter.run(file: file, options: .init(vintage: 2021, preset: .statcanCensus), storePath: store)
            let p = try PortraitBuilder.build(storePath: store, options: .init(territory: try .region("01")))
            return try JSONEncoder.stable.encode(p)
        }
        let baseDir = tempDir()
        let expected = try portrait(try RealData.path("population/recensement_2021_sdr_bsl.csv"), baseDir)
        let layouts: [TableLayout] = [
            .init(encoding: .windows1252, lineEnd: .crlf, separator: ";", decimalComma: true, thousands: .space),
            .init(encoding: .utf16LE, lineEnd: .crlf, separator: "\t", decimalComma: true, thousands: .nbsp),
            .init(encoding: .latin1, lineEnd: .cr, separator: ";", decimalComma: true),
            .init(encoding: .utf8BOM, lineEnd: .crlf, separator: ",", quoting: .all, thousands: .narrow),
            .init(encoding: .utf8, separator: ";", decimalComma: true, thousands: .space, titleRows: 2, notes: 2, trailingEmpty: 2),
            .init(encoding: .utf16BE, lineEnd: .lf, finalLineEnd: false, separator: "\t", trailingEmpty: 1),
        ]
        for l in layouts {
            let dir = tempDir()
            let file = dir + "/recensement_2021_sdr_bsl.csv"
            try l.write(header: header, rows: rows, numeric: numeric).write(to: URL(fileURLWithPath: file))
            #expect(try portrait(file, dir) == expected, "\(l)")
        }
    }
}
