import Foundation
@testable import PortraitImport
import PortraitModel
import PortraitStore
import PortraitTestSupport
import Testing

/// The four-line table of the issue (three Matapédia municipalities, SYNTHETIC values copied from the census
/// layout) saved as agencies and spreadsheets save it, and damaged files that used to import without a word.
/// Each refusal names the file, the line and the column, and leaves the store byte for byte as it was.
@Suite struct PublishedLayoutsTests {
    let dir = tempDir()
    let store: String

    init() throws {
        store = (dir as NSString).appendingPathComponent("store.gpkg")
        let features = [
            sdaFeature("07005", "Sainte-Marguerite-Marie", mrc: "07", ring: ring(-67.3, 48.4)),
            sdaFeature("07010", "Sainte-Florence", mrc: "07", ring: ring(-67.2, 48.4)),
            sdaFeature("07018", "Causapscal", mrc: "07", ring: ring(-67.1, 48.4), des: "V"),
            sdaFeature("13062", "Lac-des-Aigles", mrc: "13", ring: ring(-68.6, 47.9), des: "V"),
            sdaFeature("11040", "L'Isle-Verte", mrc: "11", ring: ring(-69.3, 48.0)),
        ]
        let f = try write(collection(features), "synthetique_limites.geojson", in: dir)
        _ = try BoundaryImporter.run(file: f, options: .init(level: .municipality), storePath: store)
    }

    static let example = """
        Code géographique;Nom de la municipalité;Population 2021;Superficie (km²)
        7005;Sainte-Marguerite-Marie;183;85,97
        07010;Sainte-Florence;367;103,48
        07018;Causapscal;2 147;161,61

        """

    func save(_ text: String, _ name: String, encoding: String.Encoding = .utf8, bom: [UInt8] = [], lineEnd: String = "\n") throws -> String {
        let p = (dir as NSString).appendingPathComponent(name)
        var data = Data(bom)
        data.append(text.replacingOccurrences(of: "\n", with: lineEnd).data(using: encoding)!)
        try data.write(to: URL(fileURLWithPath: p))
        return p
    }

    func population(_ file: String, vintage: Int) throws -> IndicatorImportReport {
        try IndicatorImporter.run(file: file, options: .init(indicator: "population", vintage: vintage, codeField: "Code géographique",
                                                             valueFields: ["Population 2021"]), storePath: store)
    }

    func values(_ vintage: Int) throws -> [String: CellValue] {
        try Stores.open(store).indicatorValues("population", vintage: vintage, level: .municipality)
    }

    /// The LF version, then CRLF in Windows-1252 (refused whole on the earlier main), UTF-16 with tabs (Excel's
    /// « Texte Unicode »), CR only, UTF-8 with BOM and every field quoted, and with title, source and note rows.
    @Test func theFourLineExampleInEveryLayout() throws {
        _ = try population(try save(Self.example, "synthetique_lf.csv"), vintage: 2000)
        let expected = try values(2000)
        #expect(expected == ["07005": .value(183), "07010": .value(367), "07018": .value(2_147)])
        let quoted = Self.example.split(separator: "\n").map { $0.split(separator: ";").map { "\"\($0)\"" }.joined(separator: ";") }
            .joined(separator: "\n") + "\n"
        let titled = "Tableau 1 – Population, superficie, municipalités de La Matapédia (SYNTHÉTIQUE)\nSource : Statistique Canada, Recensement 2021\n"
            + Self.example + "\nNote : les superficies sont en terre ferme.\n"
        let files: [(String, String)] = [
            (try save(Self.example, "synthetique_crlf_1252.csv", encoding: .windowsCP1252, lineEnd: "\r\n"), "ISO-8859-1 (ou Windows-1252), point-virgule, en-tête ligne 1, fins de ligne CRLF"),
            (try save(Self.example.replacingOccurrences(of: ";", with: "\t"), "synthetique_texte_unicode.txt", encoding: .utf16LittleEndian,
                      bom: [0xFF, 0xFE], lineEnd: "\r\n"), "UTF-16LE (BOM), tabulation, en-tête ligne 1, fins de ligne CRLF"),
            (try save(Self.example.replacingOccurrences(of: ";", with: "\t"), "synthetique_utf16be.txt", encoding: .utf16BigEndian,
                      bom: [0xFE, 0xFF]), "UTF-16BE (BOM), tabulation, en-tête ligne 1, fins de ligne LF"),
            (try save(Self.example, "synthetique_mac.csv", encoding: .isoLatin1, lineEnd: "\r"), "ISO-8859-1 (ou Windows-1252), point-virgule, en-tête ligne 1, fins de ligne CR"),
            (try save(quoted, "synthetique_bom_guillemets.csv", bom: [0xEF, 0xBB, 0xBF], lineEnd: "\r\n"), "UTF-8 (BOM), point-virgule, en-tête ligne 1, fins de ligne CRLF"),
            (try save(titled, "synthetique_titre.csv"), "UTF-8, point-virgule, en-tête ligne 3, fins de ligne LF"),
            (try save(String(Self.example.dropLast()), "synthetique_sans_fin.csv"), "UTF-8, point-virgule, en-tête ligne 1, fins de ligne LF, dernière ligne sans fin de ligne"),
        ]
        for (i, (file, layout)) in files.enumerated() {
            let r = try population(file, vintage: 2001 + i)
            #expect(try values(2001 + i) == expected, "\(file)")
            #expect(r.join.layout?.summaryFR == layout, "\(file)")
            #expect(r.join.units.filter { $0.how == "code" }.count == 3)
        }
        // The titled file's note is listed, the file without a final line end warned about.
        let titledReport = try population(files[5].0, vintage: 2100)
        #expect(titledReport.join.layout?.notes.map(\.text) == ["Note : les superficies sont en terre ferme."])
        #expect(titledReport.join.layout?.linesAbove == 2)
        let unterminated = try population(files[6].0, vintage: 2101)
        #expect(unterminated.log.warnings.contains { $0.contains("sans fin de ligne") })
        // The layout is in the JSON report too.
        let json = String(decoding: try JSONEncoder.stable.encode(unterminated), as: UTF8.self)
        #expect(json.contains(#""separator":";""#) && json.contains(#""line_ends":"LF""#) && json.contains(#""header_line":1"#))
    }

    func rejected(_ needles: [String], sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Any) {
        expectRefused(needles, store: store, sourceLocation: sourceLocation, body)
    }

    // MARK: point 5 of the issue: no silent shift, no silent undercount

    /// An unquoted comma in a name shifted every later column (367 became 365, 46 800 became 145).
    @Test func anUnquotedCommaInANameIsRefusedNotShifted() throws {
        let f = try save("code_geo,nom,personnes_menages,population_2021,revenu\n07005,Sainte-Marguerite-Marie,185,183,\n"
                         + "07010,Sainte-Florence, Municipalité (MÉ),365,367,46800\n", "synthetique_virgule.csv")
        rejected(["synthetique_virgule.csv", "ligne 3", "6 champs", "en a 5"]) {
            try IndicatorImporter.run(file: f, options: .init(vintage: 2021, valueFields: ["population=population_2021", "revenu_median_menage=revenu"]),
                                      storePath: store)
        }
        // A row with fewer fields than the header, not at the end of the file, is refused the same way.
        let short = try save("code_geo,nom,population_2021,revenu\n07005,A,183,1\n07010,B,367\n07018,C,2147,3\n", "synthetique_court.csv")
        rejected(["ligne 3", "3 champs", "en a 4"]) {
            try IndicatorImporter.run(file: short, options: .init(indicator: "population", vintage: 2021, valueFields: ["population_2021"]), storePath: store)
        }
    }

    /// Without 13060's row, Lac-des-Aigles (13062) got Saint-Guy's 76 inhabitants as if it were all of it.
    @Test func aMergeWithAMissingPartIsListedNotCarried() throws {
        let f = try save("code_geo,population_2021\n11020,76\n07005,183\n", "synthetique_fusion_incomplete.csv")
        let r = try IndicatorImporter.run(file: f, options: .init(indicator: "population", vintage: 2021, valueFields: ["population_2021"]), storePath: store)
        #expect(try values(2021)["13062"] == nil && values(2021)["07005"] == .value(183))
        #expect(r.join.incompleteMerges == [.init(newCode: "13062", present: ["11020"], missing: ["13060"], rows: [2])])
        #expect(r.join.units.first { $0.code == "13062" }?.how == "fusion_incomplete")
        #expect(r.log.warnings.contains { $0.contains("fusion(s) incomplète(s)") && $0.contains("13062") })
        // Both parts: summed. The current code with a former one: listed, neither taken.
        let both = try save("code_geo,population_2021\n11020,76\n13060,495\n", "synthetique_fusion.csv")
        _ = try IndicatorImporter.run(file: both, options: .init(indicator: "population", vintage: 2022, valueFields: ["population_2021"]), storePath: store)
        #expect(try values(2022)["13062"] == .value(571))
        let mixed = try save("code_geo,population_2021\n13062,571\n11020,76\n", "synthetique_ancien_et_nouveau.csv")
        let m = try IndicatorImporter.run(file: mixed, options: .init(indicator: "population", vintage: 2023, valueFields: ["population_2021"]), storePath: store)
        #expect(try values(2023)["13062"] == nil)
        #expect(m.join.units.first { $0.code == "13062" }?.how == "conflit_ancien_et_nouveau_code")
    }

    /// A merged rate with a part whose value is missing is left without a value, never the mean of the other parts.
    @Test func aMergedRateWithAMissingPartHasNoValue() throws {
        let f = try save("code_geo,population,taux\n11020,76,\n13060,495,12.5\n", "synthetique_fusion_taux.csv")
        _ = try IndicatorImporter.run(file: f, options: .init(vintage: 2021, valueFields: ["population", "taux"]), storePath: store)
        let taux = try Stores.open(store).indicatorValues("taux", vintage: 2021, level: .municipality)
        #expect(taux["13062"] == .missing)
    }

    /// A count is whole, non-negative, exact in a double, and no percentage; a share stays in its range; a value
    /// too small to be represented is refused, not stored as 0.
    @Test func valuesOutOfTheirKindAreRefusedWithTheirCell() throws {
        for (cell, needle) in [("1e308", "trop grand"), ("0.5", "pas un nombre entier"), ("5 %", "pourcentage"), ("-3", "négatif"),
                               ("1e999", "représentables")] {
            let f = try save("code_geo,population\n07005,183\n07010,\(cell)\n", "synthetique_effectif.csv")
            rejected(["ligne 3 (code 07010)", "colonne population", "« \(cell) »", needle]) {
                try IndicatorImporter.run(file: f, options: .init(indicator: "population", vintage: 2021, valueFields: ["population"]), storePath: store)
            }
        }
        let share = try save("code_geo,part\n07005,45\n07010,120\n", "synthetique_part.csv")
        rejected(["ligne 3", "hors de 0 à 100"]) {
            try IndicatorImporter.run(file: share, options: .init(indicator: "part_jeunes", vintage: 2021, valueFields: ["part"], unit: "%"), storePath: store)
        }
        let proportion = try save("code_geo,part\n07005,0.45\n07010,45\n", "synthetique_proportion.csv")
        rejected(["ligne 3", "hors de 0 à 1"]) {
            try IndicatorImporter.run(file: proportion, options: .init(indicator: "part_jeunes", vintage: 2021, valueFields: ["part"], unit: "proportion"),
                                      storePath: store)
        }
        let tiny = try save("code_geo,taux\n07005,1e-400\n", "synthetique_minuscule.csv")
        rejected(["ligne 2", "« 1e-400 »", "trop petit"]) {
            try IndicatorImporter.run(file: tiny, options: .init(indicator: "taux", vintage: 2021, valueFields: ["taux"]), storePath: store)
        }
        let quintile = try save("code_geo,q\n07005,6\n", "synthetique_quintile.csv")
        rejected(["ligne 2", "hors de 1 à 5"]) {
            try IndicatorImporter.run(file: quintile, options: .init(indicator: "defavorisation_materielle", vintage: 2021, valueFields: ["q"]), storePath: store)
        }
    }

    /// One Windows-1252 cell in a UTF-8 file was decoded on its own; now the file is refused with the line.
    @Test func aCellInAnotherEncodingRefusesTheFile() throws {
        var data = Data("code_geo,nom,population\n07005,Sainte-Marguerite-Marie,183\n07010,Sainte-Florence,367\n".utf8)
        data.append(Data("07018,Causapsc".utf8) + Data([0xE9]) + Data("l,2147\n".utf8))   // é in Windows-1252
        data.append(Data("07005,Rivière,1\n".utf8))
        let f = (dir as NSString).appendingPathComponent("synthetique_encodages_meles.csv")
        try data.write(to: URL(fileURLWithPath: f))
        rejected(["ligne 4", "encodages mêlés", "ligne 5"]) {
            try IndicatorImporter.run(file: f, options: .init(indicator: "population", vintage: 2021, valueFields: ["population"]), storePath: store)
        }
        // A byte that Windows-1252 leaves undefined is no text at all.
        let undefined = (dir as NSString).appendingPathComponent("synthetique_octet_indefini.csv")
        try (Data("code_geo,population\n07005,18".utf8) + Data([0x81]) + Data("3\n".utf8)).write(to: URL(fileURLWithPath: undefined))
        rejected(["ligne 2", "Windows-1252"]) {
            try IndicatorImporter.run(file: undefined, options: .init(indicator: "population", vintage: 2021, valueFields: ["population"]), storePath: store)
        }
    }

    // MARK: point 4: a truncated file is never read as a shorter one

    @Test func aLastRowCutShortIsATruncatedFile() throws {
        let header = "code_geo,nom,population,superficie\n07005,A,183,85.97\n"
        for cut in ["07010", "07010,Sainte-Flo", "07010,Sainte-Florence,36", "07010,\"Sainte-Flo"] {
            let f = try save(header + cut, "synthetique_coupe.csv")
            rejected(["ligne 3", "fichier tronqué ?"]) {
                try IndicatorImporter.run(file: f, options: .init(indicator: "population", vintage: 2021, valueFields: ["population"]), storePath: store)
            }
        }
        // Cut inside the last column: refused when that column is read, accepted with a warning when it is not.
        let f = try save(header + "07010,Sainte-Florence,367,103.4", "synthetique_coupe_fin.csv")
        rejected(["ligne 3", "fichier tronqué ?", "« superficie »"]) {
            try IndicatorImporter.run(file: f, options: .init(vintage: 2021, valueFields: ["population", "superficie"]), storePath: store)
        }
        let r = try IndicatorImporter.run(file: f, options: .init(indicator: "population", vintage: 2021, valueFields: ["population"]), storePath: store)
        #expect(try values(2021)["07010"] == .value(367))
        #expect(r.join.layout?.unterminatedRow == 3 && r.log.warnings.contains { $0.contains("ligne 3") && $0.contains("sans fin de ligne") })
    }

    // MARK: the reader itself

    /// Regression found by the generator: a line break inside a quoted cell was counted as one of the file's line
    /// ends (a CR file with such a cell read as « mixtes »).
    @Test func aLineBreakInsideAQuotedCellIsNoLineEnd() throws {
        let f = try save("code_geo,nom,population\r07005,\"deux\nlignes\",183\r07010,B,367\r", "synthetique_saut.csv", encoding: .utf8, lineEnd: "\n")
        let l = try DelimitedText.read(file: f)
        #expect(l.textLayout?.lineEnds == "CR")
        #expect(l.features.map { $0.attributes["nom"]?.text } == ["deux\nlignes", "B"])
        #expect(l.features.map { $0.index + 2 } == [2, 4])   // the line each row starts on
    }

    @Test func theSeparatorIsChosenFromTheRowsNotTheFirstLine() throws {
        // A comma in the header and decimal commas in every row: semicolons all the same.
        let f = try save("Nom;Population, 2021\nA;1,5\nB;2,5\n", "synthetique_entete_virgule.csv")
        let l = try DelimitedText.read(file: f)
        #expect(l.textLayout?.separator == ";" && l.fields == ["Nom", "Population, 2021"])
        // Trailing empty columns (a spreadsheet's padding) are dropped from the header and the rows.
        let padded = try save("a;b;;\n1;2;;\n3;4;;;\n", "synthetique_colonnes_vides.csv")
        let p = try DelimitedText.read(file: padded)
        #expect(p.fields == ["a", "b"] && p.features.count == 2)
    }

    /// A GDAL virtual file is never opened: it would read another file of the server (here a sentinel) or an address
    /// on the network. Refused by its name or its first bytes, and GDAL may only use drivers of self-contained files.
    @Test func aVirtualFileIsRefused() throws {
        let sentinel = try save("code_geo,population\n07005,987654\n", "synthetique_sentinelle.csv")
        let vrt = """
            <OGRVRTDataSource><OGRVRTLayer name="synthetique_sentinelle"><SrcDataSource>\(sentinel)</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>
            """
        let remote = """
            <OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/vsicurl/http://127.0.0.1:9/x.csv</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>
            """
        for (text, name) in [(vrt, "synthetique_local.vrt"), (vrt, "synthetique_deguise.geojson"), (remote, "synthetique_reseau.xlsx")] {
            let f = try save(text, name)
            rejected(["VRT"]) {
                try IndicatorImporter.run(file: f, options: .init(indicator: "population", vintage: 2021, valueFields: ["population"]), storePath: store)
            }
            rejected(["VRT"]) { try BoundaryImporter.run(file: f, options: .init(level: .municipality), storePath: store) }
            rejected(["VRT"]) { try ServiceImporter.run(file: f, category: "clsc", storePath: store) }
        }
        #expect(try values(2021)["07005"] == nil)
    }

    /// Escape sequences in a file's header never reach the terminal through an error message.
    @Test func controlCharactersFromTheFileAreNotPrinted() throws {
        let f = try save("code_geo,\u{1B}[2J\u{1B}]0;titre\u{07}population\n07005,183\n", "synthetique_echappements.csv")
        rejected(["synthetique_echappements.csv", "introuvable", "\u{FFFD}[2J"]) {
            try IndicatorImporter.run(file: f, options: .init(indicator: "population", vintage: 2021, valueFields: ["population"]), storePath: store)
        }
        do {
            _ = try IndicatorImporter.run(file: f, options: .init(indicator: "population", vintage: 2021, valueFields: ["population"]), storePath: store)
        } catch {
            #expect(!"\(error)".unicodeScalars.contains { $0.value < 0x20 }, "\(error)")
        }
    }

    /// A named pipe given to any importer is refused at once (opening it would wait for a writer forever).
    @Test func aNamedPipeIsRefusedNotWaitedOn() throws {
        for ext in ["csv", "geojson", "gpkg", "xlsx"] {
            let fifo = (dir as NSString).appendingPathComponent("synthetique_tube.\(ext)")
            #expect(mkfifo(fifo, 0o600) == 0)
            let before = fingerprint(store)
            let attempts: [(String, () throws -> Any)] = [
                ("indicateurs", { try IndicatorImporter.run(file: fifo, options: .init(indicator: "x", vintage: 2021, valueFields: ["x"]), storePath: self.store) }),
                ("profil", {
                    var o = IndicatorImportOptions(vintage: 2021, preset: .statcanProfile)
                    o.characteristics = ["1": "population"]
                    return try IndicatorImporter.run(file: fifo, options: o, storePath: self.store)
                }),
                ("limites", { try BoundaryImporter.run(file: fifo, options: .init(level: .municipality), storePath: self.store) }),
                ("trait de côte", { try CoastlineImporter.run(file: fifo, storePath: self.store) }),
                ("services", { try ServiceImporter.run(file: fifo, category: "clsc", storePath: self.store) }),
                ("mobilisations", { try MobilisationImporter.run(file: fifo, storePath: self.store) }),
                ("lecture", { try DelimitedText.read(file: fifo) }),
            ]
            for (what, attempt) in attempts {
                #expect(throws: (any Error).self, "\(what) .\(ext)") { _ = try attempt() }
                do { _ = try attempt() } catch { #expect("\(error)".contains("pas un fichier ordinaire"), "\(what) .\(ext) : \(error)") }
            }
            #expect(fingerprint(store) == before)
            try FileManager.default.removeItem(atPath: fifo)
        }
    }
}
