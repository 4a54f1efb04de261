import Foundation
import PortraitModel
@testable import PortraitReport
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// The portrait's tables as data (CSV, XLSX) on the shipped Bas-Saint-Laurent data: every value the store's or the
/// report's, with its unit, vintage and source; the CSV in both layouts read back; and the files opened in
/// LibreOffice Calc (`scripts/sheet-check`) with their accents and numbers intact.
@Suite(.serialized) struct ReportTablesTests {
    static func tables() throws -> (Report, [DataTable], any TerritoryStore) {
        let r = try TerritoryKindsTests.report(try .region("01"))
        let store = try Stores.open(try TerritoryKindsTests.store.get())
        return (r, try ReportTables.tables(r, territory: try .region("01"), store: store), store)
    }

    static func column(_ t: DataTable, _ name: String) -> Int { t.columns.firstIndex(of: name)! }

    @Test func everyValueIsTheReportsWithItsUnitVintageAndSource() throws {
        let (r, tables, store) = try Self.tables()
        #expect(tables.map(\.name) == ["indicateurs", "classes", "municipalites", "comparaison", "services", "sources"])
        for t in tables where t.name != "sources" {
            let u = Self.column(t, t.name == "services" ? "unite" : "unite"), s = Self.column(t, "source")
            for row in t.rows {
                #expect(row.count == t.columns.count)
                if case .text(let unit) = row[u] { #expect(!unit.isEmpty || t.name == "comparaison", "\(t.name) \(row)") } else { Issue.record("\(t.name): no unit \(row)") }
                if case .text(let source) = row[s] { #expect(source.contains("recensement") || source.contains("ecoles") || source.contains("odhf") || source.contains("sante"), "\(source)") }
                else { Issue.record("\(t.name): no source \(row)") }
            }
        }
        // The region's population and density as the report has them.
        let ind = tables[0]
        func value(_ part: String, _ name: String) -> DataTable.Cell? {
            ind.rows.first { $0[2] == .text(part) && $0[4] == .text(name) }?[Self.column(ind, "valeur")]
        }
        #expect(value("ensemble", "population") == .number(199_039))
        let density = try #require(r.portrait.indicators.first { $0.name == "densite_population" })
        #expect(value("ensemble", "densite_population") == .number(density.weightedMean!))
        #expect(value("mrc 10", "population") == .number(57_191))
        // Every municipality's value of every indicator is the store's, its state said when it has none.
        let m = tables[2]
        let units = try store.municipalities(in: try .region("01"), withGeometry: false).filter { !$0.isAquatic }
        #expect(m.rows.count == units.count * (r.portrait.indicators.count + 1))
        for i in [(name: "population", vintage: 2021)] + r.portrait.indicators.map({ (name: $0.name, vintage: $0.vintage) }) {
            let stored = try store.indicatorValues(i.name, vintage: i.vintage, level: .municipality)
            for row in m.rows where row[5] == .text(i.name) {
                guard case .text(let code) = row[0] else { continue }
                switch stored[code] {
                case .value(let v)?: #expect(row[6] == .number(v) && row[7] == .text("valeur"))
                case .suppressed?: #expect(row[6] == .empty && row[7] == .text("confidentielle"))
                default: #expect(row[6] == .empty && row[7] == .text("sans valeur"))
                }
            }
        }
        #expect(m.rows.contains { $0[7] == .text("confidentielle") })
        // Each category's rows cite the file its services came from, and no other.
        let services = tables[4]
        for row in services.rows {
            let expected: String = row[0] == .text("ecole") ? "bsl_ecoles_publiques_meq.geojson" : "bsl_installations_sante_odhf.csv"
            let other: String = row[0] == .text("ecole") ? "odhf" : "ecoles"
            guard case .text(let source) = row[Self.column(services, "source")] else { Issue.record("no source: \(row)"); continue }
            #expect(source.contains(expected) && !source.contains(other), "\(row)")
        }
    }

    /// A CSV line split as RFC 4180 reads it.
    static func split(_ line: String, _ sep: Character) -> [String] {
        var out: [String] = [], cur = "", quoted = false, chars = Array(line), i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" { if i + 1 < chars.count && chars[i + 1] == "\"" { cur.append("\""); i += 1 } else { quoted = false } } else { cur.append(c) }
            } else if c == "\"" { quoted = true } else if c == sep { out.append(cur); cur = "" } else { cur.append(c) }
            i += 1
        }
        return out + [cur]
    }

    @Test func theCSVReadsBackInBothLayouts() throws {
        let (_, tables, _) = try Self.tables()
        for t in tables {
            for fr in [false, true] {
                let data = CSVWriter.data(t, excelFR: fr)
                #expect(data.starts(with: [0xEF, 0xBB, 0xBF]), "BOM")
                let text = String(decoding: data.dropFirst(3), as: UTF8.self)
                #expect(text.hasSuffix("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
                let lines = text.components(separatedBy: "\r\n").dropLast()
                #expect(lines.count == t.rows.count + 1)
                #expect(Self.split(lines.first!, fr ? ";" : ",") == t.columns)
                for (line, row) in zip(lines.dropFirst(), t.rows) {
                    let cells = Self.split(line, fr ? ";" : ",")
                    #expect(cells.count == row.count, "\(t.name): \(line)")
                    for (c, v) in zip(cells, row) {
                        switch v {
                        case .text(let s): #expect(c == s)
                        case .integer(let n): #expect(c == String(n))
                        case .number(let d): #expect(Double(fr ? c.replacingOccurrences(of: ",", with: ".") : c) == d, "\(c) ≠ \(d)")
                        case .empty: #expect(c.isEmpty)
                        }
                    }
                }
            }
        }
    }

    /// The row writer (bytes) quotes, doubles quotes and guards formulas as a spreadsheet needs, in both layouts.
    @Test func hostileTextsAreQuotedAndGuarded() {
        let texts = ["Rivière-du-Loup", "a,b", "a;b", "dit \"non\"", "ligne\nsuivante", "retour\r", "=1+1", "+33", "-2", "@SUM(A1)",
                     "=\"x\",y", "\tcaché", "é,\"ï\"\r\n", ""]
        for fr in [false, true] {
            let sep: Character = fr ? ";" : ","
            var w = CSVWriter.Rows(columns: ["texte", "nombre"], excelFR: fr)
            for t in texts { w.text(t); w.number(-1.5); w.end() }
            let text = String(decoding: w.data.dropFirst(3), as: UTF8.self)
            // Records end in CRLF outside quotes: split on the writer's own records through the reading helper.
            var records: [String] = [], cur = "", quoted = false
            for c in text {
                if c == "\"" { quoted.toggle() }
                if !quoted, c == "\r\n" { records.append(cur); cur = "" } else { cur.append(c) }
            }
            #expect(records.count == texts.count + 1)
            for (line, t) in zip(records.dropFirst(), texts) {
                let cells = Self.split(line, sep)
                let expected = t.unicodeScalars.first.map { Escape.formulaStarts.contains($0) } ?? false ? "'" + t : t
                #expect(cells == [expected, fr ? "-1,5" : "-1.5"], "\(fr) \(t.debugDescription) → \(line.debugDescription)")
            }
        }
    }

    static var soffice: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/soffice") }

    @Test(.enabled(if: soffice || ProcessInfo.processInfo.environment["CI"] == "true",
                   "LibreOffice absent (scripts/setup installe libreoffice-calc-nogui) : test ignoré hors CI"))
    func libreOfficeReadsTheAccentsAndTheNumbers() throws {
        let (_, tables, _) = try Self.tables()
        let dir = tempDir("portrait-lo")
        let m = tables[2]
        func check(_ file: String, _ args: [String], _ label: String) throws {
            let out = try ExternalTool.run("/usr/bin/env", ["python3", projectRoot + "/scripts/sheet-check", file] + args)
            let j = try #require((try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any], "« \(out) »")
            let rows = try #require(j["rows"] as? [[Any]], "\(j["error"] ?? "")")
            #expect(rows.count == m.rows.count + 1, "\(label)")
            #expect(rows.first?.compactMap { $0 as? String } == m.columns)
            var accents = 0
            for (read, row) in zip(rows.dropFirst(), m.rows) {
                for (i, v) in row.enumerated() {
                    let got: Any? = i < read.count ? read[i] : nil
                    switch v {
                    case .text(let s):
                        #expect(got as? String == s, "\(label): « \(String(describing: got)) » ≠ « \(s) »")
                        if s.contains(where: { "éèêàçôîÉ".contains($0) }) { accents += 1 }
                    case .integer(let n): #expect((got as? Double) == Double(n), "\(label) \(n)")
                    // Calc keeps 15 significant digits.
                    case .number(let d): #expect((got as? Double).map { abs($0 - d) <= 1e-13 * max(1, abs(d)) } == true, "\(label): \(String(describing: got)) ≠ \(d)")
                    case .empty: #expect(got == nil || got is NSNull)
                    }
                }
            }
            #expect(accents > 100, "\(label)")
        }
        let csv = dir + "/municipalites.csv", csvFR = dir + "/municipalites-fr.csv", xlsx = dir + "/portrait.xlsx"
        try CSVWriter.data(m).write(to: URL(fileURLWithPath: csv))
        try CSVWriter.data(m, excelFR: true).write(to: URL(fileURLWithPath: csvFR))
        try XLSXWriter.data(tables).write(to: URL(fileURLWithPath: xlsx))
        // Codes keep their leading zeros as text (07005): the columns imported as text, as one does in Calc's dialog.
        try check(csv, ["--text", "code,mrc"], "CSV")
        try check(csvFR, ["--excel-fr", "--text", "code,mrc"], "CSV Excel fr")
        // The workbook: its text cells are text, codes included, and it has every table as a sheet.
        try check(xlsx, ["--sheet", "3"], "XLSX")
    }
}
