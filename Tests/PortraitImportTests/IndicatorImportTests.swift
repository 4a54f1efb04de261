import Foundation
import PortraitDemo
import PortraitGeometry
@testable import PortraitImport
import PortraitModel
import PortraitStore
@testable import PortraitTerritory
import PortraitTestSupport
import Testing

struct CellValueTests {
    @Test(arguments: [
        ("12,5", CellValue.value(12.5)), ("48 935", .value(48_935)), ("48\u{00A0}935", .value(48_935)),
        ("1\u{202F}234,5", .value(1_234.5)), ("1,234.5", .value(1_234.5)), ("1.234,5", .value(1_234.5)),
        ("-5,2", .value(-5.2)), ("\u{2212}5,2", .value(-5.2)), ("+3", .value(3)), ("12,5 %", .value(12.5)),
        ("x", .suppressed), ("X", .suppressed), ("..", .suppressed), ("...", .missing), ("…", .missing), ("F", .suppressed),
        ("", .missing), ("   ", .missing), ("-", .missing), ("0", .value(0)),
    ])
    func parses(_ raw: String, _ expected: CellValue) {
        #expect(CellValue.parse(raw) == expected)
    }

    @Test func emptyAsSuppressedWhenAsked() {
        #expect(CellValue.parse("", emptyIsSuppressed: true) == .suppressed)
        #expect(CellValue.parse(nil, emptyIsSuppressed: true) == .suppressed)
    }

    @Test func notANumber() {
        #expect(CellValue.parse("douze") == nil)
        #expect(CellValue.parse("12a") == nil)
    }
}

/// Messy indicator files on the fictional demo territory. Every file here is SYNTHETIC.
@Suite struct IndicatorImportTests {
    let dir = tempDir()
    let store: String

    init() throws {
        store = (dir as NSString).appendingPathComponent("demo.gpkg")
        _ = try DemoTerritory.load(storePath: store)
    }

    func values(_ name: String, _ vintage: Int) throws -> [String: CellValue] {
        try GeoPackageStore(openExisting: store).indicatorValues(name, vintage: vintage)
    }

    @Test func semicolonsDecimalCommasSpacesAndSuppressed() throws {
        let f = try write("""
            code;nom;valeur
            91005;L'Anse-aux-Exemples;12,5
            91010;Sainte-Fiction-sur-Mer;48 935
            91015;Baie-des-Modèles;x
            91020;Saint-Inventé;..
            91025;Lac-Imaginaire;F
            91030;Val-des-Songes;
            91035;Sainte-Hypothèse;-3,25

            """, "synthetique_pointvirgule.csv", in: dir)
        let r = try IndicatorImporter.run(file: f, options: .init(indicator: "essai", vintage: 2024, valueFields: ["valeur"]), storePath: store)
        #expect(r.join.matched == 7)
        let v = try values("essai", 2024)
        #expect(v["91005"] == .value(12.5))
        #expect(v["91010"] == .value(48_935))
        #expect(v["91015"] == .suppressed && v["91020"] == .suppressed && v["91025"] == .suppressed)
        #expect(v["91030"] == .missing)
        #expect(v["91035"] == .value(-3.25))
        #expect(r.join.suppressed["essai"] == 3 && r.join.missing["essai"] == 1)
        #expect(r.join.withoutValue.count == 24 - 7)
    }

    @Test func windows1252AndCommas() throws {
        let text = "code,nom,valeur\n91005,\"L'Anse-aux-Exemples\",\"1,5\"\n91010,Sainte-Fiction-sur-Mer,\"2 000\"\n"
        let path = (dir as NSString).appendingPathComponent("synthetique_cp1252.csv")
        try #require(text.data(using: .windowsCP1252)).write(to: URL(fileURLWithPath: path))
        // An unknown code joined by its accented name: only a correct Windows-1252 reading finds it.
        let nonUTF8 = "code,nom,valeur\n88015,Baie-des-Modèles,\"7,25\"\n"
        let p2 = (dir as NSString).appendingPathComponent("synthetique_cp1252_accents.csv")
        try #require(nonUTF8.data(using: .windowsCP1252)).write(to: URL(fileURLWithPath: p2))
        _ = try IndicatorImporter.run(file: path, options: .init(indicator: "essai", vintage: 2023, valueFields: ["valeur"]), storePath: store)
        #expect(try values("essai", 2023)["91005"] == .value(1.5))
        #expect(try values("essai", 2023)["91010"] == .value(2000))
        let r = try IndicatorImporter.run(file: p2, options: .init(indicator: "autre", vintage: 2023, valueFields: ["valeur"],
                                                                   matchNames: true), storePath: store)
        #expect(try values("autre", 2023)["91015"] == .value(7.25))
        #expect(r.join.unmatched.isEmpty)
        #expect(r.join.matchedByName.first?.name == "Baie-des-Modèles")
    }

    @Test func joinReportListsUnmatchedDuplicatesAndNames() throws {
        let f = try write("""
            code,nom,valeur
            91005,L'Anse-aux-Exemples,1
            91005,L'Anse-aux-Exemples,2
            99999,Nulle-Part,3
            88888,SAINT-INVENTÉ,4
            91010,Lac-Fictif,5

            """, "synthetique_jointure.csv", in: dir)
        let r = try IndicatorImporter.run(file: f, options: .init(indicator: "essai", vintage: 2022, valueFields: ["valeur"]), storePath: store)
        // Two rows of one code with different figures: listed, and neither is taken.
        #expect(r.join.duplicates == [.init(code: "91005", rows: [2, 3], valuesDiffer: true)])
        #expect(r.join.units.first { $0.code == "91005" }?.how == "code_en_double")
        #expect(r.join.unmatched.map(\.code) == ["99999", "88888"])
        #expect(r.join.unmatched[0].row == 4 && r.join.unmatched[0].name == "Nulle-Part")
        #expect(try values("essai", 2022)["91005"] == nil)
        #expect(try values("essai", 2022)["91010"] == .value(5))
        // With --match-names, the accent- and case-insensitive name finds Saint-Inventé (91020).
        let r2 = try IndicatorImporter.run(file: f, options: .init(indicator: "essai", vintage: 2022, valueFields: ["valeur"], matchNames: true), storePath: store)
        #expect(r2.join.matchedByName.map(\.code) == ["88888"])
        #expect(try values("essai", 2022)["91020"] == .value(4))
        #expect(r2.log.replaced == 1)   // the previous import of the same indicator and vintage was replaced
        // The report is stored with the import.
        let stored = try GeoPackageStore(openExisting: store).joinReport(importID: r2.log.id!)
        #expect(stored?.contains("\"matched_by_name\"") == true)
    }

    @Test func codeChangesSumCountsAndWeightRates() throws {
        // Two old codes 90001 and 90002 now form 91005; population 100 and 300.
        let f = try write("""
            code,nom,pop,revenu
            90001,Ancienne-A,100,40000
            90002,Ancienne-B,300,60000
            91010,Sainte-Fiction-sur-Mer,50,x

            """, "synthetique_fusions.csv", in: dir)
        let changes = CodeChanges(["90001": "91005", "90002": "91005"])
        let r = try IndicatorImporter.run(file: f, options: .init(vintage: 2021, valueFields: ["population=pop", "revenu=revenu"],
                                                                  codeChanges: changes), storePath: store)
        #expect(r.join.merged.map(\.newCode) == ["91005"])
        #expect(r.join.merged[0].oldCodes == ["90001", "90002"])
        #expect(try values("population", 2021)["91005"] == .value(400))
        // (100 × 40 000 + 300 × 60 000) / 400 = 55 000.
        #expect(try values("revenu", 2021)["91005"] == .value(55_000))
        #expect(try values("revenu", 2021)["91010"] == .suppressed)
    }

    @Test func codeChangeTableFromFile() throws {
        let t = try write("old_code,new_code\n11020,13062\n13060,13062\n", "changements.csv", in: dir)
        let c = try CodeChanges.read(path: t)
        #expect(c.current("11020") == "13062" && c.current("10043") == "10043")
        #expect(CodeChanges.builtIn.current("14090") == "14082")
    }

    @Test func csduidAndDGUIDCodes() throws {
        #expect(try IndicatorImporter.normaliseIndicatorCode("2410043", level: .municipality) == "10043")
        #expect(try IndicatorImporter.normaliseIndicatorCode("2021A00052410043", level: .municipality) == "10043")
        #expect(try IndicatorImporter.normaliseIndicatorCode("7005", level: .municipality) == "07005")
    }

    @Test func badCellNamesFileRowAndColumnAndLeavesStore() throws {
        let before = fingerprint(store)
        let f = try write("code,valeur\n91005,12\n91010,douze\n", "synthetique_mauvais.csv", in: dir)
        do {
            _ = try IndicatorImporter.run(file: f, options: .init(indicator: "essai", vintage: 2020, valueFields: ["valeur"]), storePath: store)
            Issue.record("accepted a bad cell")
        } catch let e as ImportError {
            #expect(e.description.contains(f) && e.description.contains("ligne 3") && e.description.contains("colonne valeur")
                    && e.description.contains("douze"))
        }
        let badCode = try write("code,valeur\n91O05,12\n", "synthetique_code.csv", in: dir)
        #expect { try IndicatorImporter.run(file: badCode, options: .init(indicator: "essai", vintage: 2020, valueFields: ["valeur"]), storePath: store) }
            throws: { ($0 as? ImportError)?.description.contains("ligne 2") == true }
        let noColumn = try write("code,valeur\n91005,12\n", "synthetique_colonne.csv", in: dir)
        #expect { try IndicatorImporter.run(file: noColumn, options: .init(indicator: "essai", vintage: 2020, valueFields: ["val"]), storePath: store) }
            throws: { ($0 as? ImportError)?.reason == .unknownField }
        #expect(fingerprint(store) == before)
    }

    /// SYNTHETIC files in the published layouts of ISQ (IVE by locality) and INSPQ (deprivation quintiles).
    @Test func isqAndInspqPresets() throws {
        let ive = try write("""
            Code géographique;Localité;MRC;Indice de vitalité économique;Rang
            91005;L'Anse-aux-Exemples;La Côte-Fictive;4,21;120
            91010;Sainte-Fiction-sur-Mer;La Côte-Fictive;-6,5;1010
            91015;Baie-des-Modèles;La Côte-Fictive;-12,03;1100

            """, "synthetique_isq_ive.csv", in: dir)
        let r = try IndicatorImporter.run(file: ive, options: .init(vintage: 2020, preset: .isqIVE), storePath: store)
        #expect(r.indicators == ["ive"] && r.join.matched == 3)
        #expect(try values("ive", 2020)["91010"] == .value(-6.5))
        let inspq = try write("""
            Code municipal,Municipalité,Quintile matériel,Quintile social
            91005,L'Anse-aux-Exemples,5,4
            91010,Sainte-Fiction-sur-Mer,2,x

            """, "synthetique_inspq.csv", in: dir)
        let d = try IndicatorImporter.run(file: inspq, options: .init(vintage: 2021, preset: .inspqDeprivation), storePath: store)
        #expect(d.indicators == ["defavorisation_materielle", "defavorisation_sociale"])
        #expect(try values("defavorisation_sociale", 2021)["91010"] == .suppressed)
    }
}

/// Item 6 of the real-layouts issue: a row without a code is listed and skipped, unless --strict.
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct RowsWithoutCodeTests {
    @Test func theMAMHRegisterImportsWithItsSixRowsWithoutCodeListed() throws {
        let dir = tempDir()
        let store = dir + "/s.gpkg"
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/bsl_municipalites_sda.geojson"), options: .init(level: .municipality),
                                     storePath: store)
        let register = try RealData.path("population/qc_municipalites_registre_mamh_derive.csv")
        let before = fingerprint(store)
        var strict = IndicatorImportOptions(indicator: "population_mamh", vintage: 2024, codeField: "MUS_CO_GEO", nameField: "nom",
                                            valueFields: ["population_mamh"], kind: .count)
        strict.strict = true
        #expect { try IndicatorImporter.run(file: register, options: strict, storePath: store) } throws: {
            ($0 as? ImportError)?.description.contains("ligne 1102") == true
        }
        #expect(fingerprint(store) == before)
        var lenient = strict
        lenient.strict = false
        let r = try IndicatorImporter.run(file: register, options: lenient, storePath: store)
        #expect(r.join.rows == 1_106 && r.join.withoutCode.count == 6)
        #expect(r.join.withoutCode.map(\.name) == ["Sainte-Anne-de-la-Pocatière", "Saint-Onésime-d'Ixworth", "Hébertville-Station",
                                                    "Saint-Bruno", "Saint-Guy", "Saint-Félix-de-Dalquier"])
        #expect(r.join.matched == 110 && r.log.warnings.contains("6 ligne(s) sans code, ignorée(s)"))
    }
}

/// Published tables with title and source rows above the header and notes below (the ISQ's layout):
/// the header row is found, the notes are rows without a code. SYNTHETIC values, real layout.
struct HeaderRowTests {
    @Test func titleRowsAboveAndNotesBelow() throws {
        let dir = tempDir()
        let store = dir + "/demo.gpkg"
        _ = try DemoTerritory.load(storePath: store)
        let f = try write("""
        Indice de vitalité économique des localités, 2022 (valeurs SYNTHÉTIQUES);;;;
        Source : valeurs inventées pour les tests de Portrait;;;;
        ;;;;
        Code géographique;Localité;Indice de vitalité économique;Rang;Quintile
        91005;L'Anse-aux-Exemples;-6,25;3;5
        91010;Sainte-Fiction-sur-Mer;4,5;1;1
        92005;Port-Démo;x;;
        ;;;;
        Note : valeurs synthétiques.;;;;

        """, "synthetique_ive_publie.csv", in: dir)
        let r = try IndicatorImporter.run(file: f, options: .init(vintage: 2022, preset: .isqIVE), storePath: store)
        #expect(r.join.matched == 3 && r.join.withoutCode.count == 1 && r.join.kept == 3)
        #expect(r.join.withoutCode.first?.row == 9)    // the note, at its own line number; the blank line is no row
        let v = try Stores.open(store).indicatorValues("ive", vintage: 2022, level: .municipality)
        #expect(v["91005"] == .value(-6.25) && v["91010"] == .value(4.5) && v["92005"] == .suppressed)
        // The ISQ's quintile beside the index is kept; the rank is not an indicator of the locality.
        #expect(r.indicators == ["ive", "ive_quintile"])
        #expect(try Stores.open(store).indicatorValues("ive_quintile", vintage: 2022, level: .municipality)["91005"] == .value(5))
    }

    /// Several vintages as columns of one sheet: every year imported in one transaction, or the one asked.
    @Test func vintagesAsColumns() throws {
        let dir = tempDir()
        let store = dir + "/demo.gpkg"
        _ = try DemoTerritory.load(storePath: store)
        let f = try write("""
        Indice de vitalité économique des localités, 2016 à 2020 (valeurs SYNTHÉTIQUES);;;;;;;;
        Source : valeurs inventées pour les tests de Portrait;;;;;;;;
        Code géographique;Localité;IVE 2016;Rang 2016;Quintile 2016;IVE 2018;Rang 2018;Quintile 2018;IVE 2020
        91005;L'Anse-aux-Exemples;-7,3;3;5;-6,2;3;5;-5,0
        91010;Sainte-Fiction-sur-Mer;4,5;1;1;4,8;1;1;5,1
        ;;;;;;;;
        Note : valeurs synthétiques.;;;;;;;;

        """, "synthetique_ive_millesimes.csv", in: dir)
        let all = try IndicatorImporter.run(file: f, options: .init(vintage: 0, preset: .isqIVE), storePath: store)
        #expect(all.vintages == [2016, 2018, 2020] && all.vintage == 2020 && all.indicators == ["ive", "ive_quintile"])
        #expect(all.log.parameters["vintage"] == "2016,2018,2020")
        let s = try Stores.open(store)
        #expect(try s.vintages("ive") == [2020, 2018, 2016])
        #expect(try s.indicatorValues("ive", vintage: 2016, level: .municipality)["91005"] == .value(-7.3))
        #expect(try s.indicatorValues("ive", vintage: 2020, level: .municipality)["91010"] == .value(5.1))
        #expect(try s.indicatorValues("ive_quintile", vintage: 2018, level: .municipality)["91005"] == .value(5))
        #expect(try s.vintages("ive_quintile") == [2018, 2016])      // no quintile column for 2020
        #expect(try VintageColumns.detect(["Code", "IVE 2016", "Rang 2016", "Quintile 2016"]).first?.rank == "Rang 2016")
        // One vintage asked: only that one; a vintage absent from the file is refused, nothing written.
        let before = try s.indicatorValues("ive", vintage: 2018, level: .municipality)
        #expect { try IndicatorImporter.run(file: f, options: .init(vintage: 2019, preset: .isqIVE), storePath: store) } throws: {
            "\($0)".contains("2016, 2018, 2020")
        }
        #expect(try s.indicatorValues("ive", vintage: 2018, level: .municipality) == before)
        let one = try IndicatorImporter.run(file: f, options: .init(vintage: 2018, preset: .isqIVE), storePath: store)
        #expect(one.vintages == [2018])
    }

    /// One sheet per vintage in a workbook (written with GDAL's ogr2ogr), the notes sheet left alone.
    @Test(.enabled(if: ExternalTool.find(["ogr2ogr"]) != nil || RealData.isCI, "ogr2ogr (gdal-bin) absent"))
    func vintagesAsSheets() throws {
        let dir = tempDir()
        let store = dir + "/demo.gpkg"
        _ = try DemoTerritory.load(storePath: store)
        let ogr = try #require(ExternalTool.find(["ogr2ogr"]))
        let book = dir + "/synthetique_ive.xlsx"
        _ = try ExternalTool.run(ogr, ["-f", "XLSX", book, try write("Note,Valeur\nValeurs SYNTHÉTIQUES,1\n", "notes.csv", in: dir), "-nln", "Notes"])
        for (year, v) in [(2016, "-6,1"), (2020, "-4,9")] {
            let csv = try write("Code;Localité;Indice de vitalité économique;Rang;Quintile\n91005;L'Anse-aux-Exemples;\(v);3;5\n",
                                "ive\(year).csv", in: dir)
            _ = try ExternalTool.run(ogr, ["-update", "-f", "XLSX", book, csv, "-nln", "IVE \(year)"])
        }
        let r = try IndicatorImporter.run(file: book, options: .init(vintage: 0, preset: .isqIVE), storePath: store)
        #expect(r.vintages == [2016, 2020])
        let s = try Stores.open(store)
        #expect(try s.indicatorValues("ive", vintage: 2016, level: .municipality)["91005"] == .value(-6.1))
        #expect(try s.indicatorValues("ive", vintage: 2020, level: .municipality)["91005"] == .value(-4.9))
    }
}
