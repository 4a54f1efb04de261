import Foundation
import PortraitModel

/// Statistics Canada's census profile in long form (98-401-X2021 products): one row per
/// geography and characteristic, columns `CENSUS_YEAR, DGUID, ALT_GEO_CODE, GEO_LEVEL,
/// GEO_NAME, …, CHARACTERISTIC_ID, CHARACTERISTIC_NAME, CHARACTERISTIC_NOTE,
/// C1_COUNT_TOTAL, SYMBOL, C2_COUNT_MEN+, SYMBOL, …` (the `SYMBOL` header repeats),
/// ISO-8859-1 (any encoding `DelimitedText` reads, decided once for the file), suppressed values as an empty cell with `x` (or `..`, `...`, `F`) in the
/// following SYMBOL column. The Quebec file is several GB: it is read as a stream, line by
/// line in blocks of 1 MiB, keeping only the census subdivisions of Quebec and the
/// characteristics asked for, so memory stays constant whatever the file's size.
public enum CensusProfile {
    /// `ID=NAME` pairs: characteristic id → indicator name.
    public static func parse(_ specs: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for s in specs {
            let p = s.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard p.count == 2, !p[0].isEmpty, !p[1].isEmpty else {
                throw ImportError(.unknownField, file: "--characteristic", "« \(s) » : la forme attendue est ID=NOM (ex. 1=population)")
            }
            out[p[0]] = p[1]
        }
        return out
    }

    /// The rows of the subdivisions (`2021A0005` + 7-digit id starting with 24), one per geography, with the asked values.
    static func read(file: String, characteristics: [String: String], emptyIsSuppressed: Bool = false) throws -> IndicatorTable {
        guard !characteristics.isEmpty else {
            throw ImportError(.unknownField, file: file, "précisez au moins un --characteristic ID=NOM (ex. --characteristic 1=population)")
        }
        guard FileManager.default.fileExists(atPath: file) else { throw ImportError(.fileNotFound, file: file, "fichier introuvable") }
        // One encoding for the whole file, decided from all its bytes (`TextEncoding`): never one line decoded otherwise.
        let encoding = try TextEncoding.detect(file: file)
        // UTF-16 is transcoded block by block; UTF-8 and the one-byte encodings are filtered on their own bytes (the
        // DGUID and the characteristic id are ASCII in all of them) and only the lines kept are decoded.
        let reader: TranscodingReader? = if case .utf16 = encoding { try TranscodingReader(file: file, encoding: encoding) } else { nil }
        guard let handle = FileHandle(forReadingAtPath: file) else { throw ImportError(.fileNotFound, file: file, "fichier illisible") }
        defer { try? handle.close() }
        func nextBlock() throws -> [UInt8]? {
            if let reader { return try reader.next() }
            return try handle.read(upToCount: 1 << 20).map { [UInt8]($0) }
        }
        var header: [String]?
        var col: (dguid: Int, geo: Int, name: Int, id: Int, value: Int, symbol: Int?)?
        var byCode: [String: IndicatorTable.Row] = [:]
        var order: [String] = []
        var lineNumber = 0
        var pending: [UInt8] = []

        let ids = Set(characteristics.keys.map { Array($0.utf8) })
        let quebec = Array("A000524".utf8)
        /// True when the line's DGUID is a Quebec subdivision and its characteristic is asked for (quotes honoured).
        func wanted(_ line: UnsafeBufferPointer<UInt8>, dguid: Int, id: Int) -> Bool {
            var field = 0, start = 0, quoted = false
            var d = (0, 0)
            let n = line.count
            var i = 0
            while i <= n {
                let b: UInt8 = i == n ? 0x2C : line[i]
                if b == 0x22 { quoted.toggle() } else if b == 0x2C && !quoted {
                    // A field's bounds without its spaces and without its quotes: Statistics Canada quotes every text
                    // field (`"2021A00052410043"`); a file saved by a spreadsheet may not.
                    func bounds(_ s: Int, _ e: Int) -> (Int, Int) {
                        var lo = s, hi = e
                        while lo < hi && line[lo] == 0x20 { lo += 1 }
                        while hi > lo && line[hi - 1] == 0x20 { hi -= 1 }
                        if hi - lo >= 2 && line[lo] == 0x22 && line[hi - 1] == 0x22 { lo += 1; hi -= 1 }
                        return (lo, hi)
                    }
                    if field == dguid { d = bounds(start, i) }
                    if field == id {
                        // DGUID: 16 characters, "2021A000524" + 5 digits for a Quebec subdivision.
                        guard d.1 - d.0 == 16 else { return false }
                        for k in 0..<quebec.count where line[d.0 + 4 + k] != quebec[k] { return false }
                        let (lo, hi) = bounds(start, i)
                        return ids.contains(Array(line[lo..<hi]))
                    }
                    field += 1
                    start = i + 1
                }
                i += 1
            }
            return false
        }

        func handleLine(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            lineNumber += 1
            var lo = 0, hi = bytes.count
            if hi > lo && bytes[hi - 1] == 0x0D { hi -= 1 }
            if lineNumber == 1, hi - lo >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { lo = 3 }
            if hi <= lo { return }
            let line = UnsafeBufferPointer(rebasing: bytes[lo..<hi])
            // Most lines are other geographies or characteristics: decided on the bytes, before any decoding.
            if let c = col, !wanted(line, dguid: c.dguid, id: c.id) { return }
            let text = TextEncoding.decode(line, encoding)
            let cells = fields(text)
            guard let c = col else {
                header = cells
                let h = cells.map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
                guard let d = h.firstIndex(of: "DGUID"), let i = h.firstIndex(of: "CHARACTERISTIC_ID"),
                      let v = h.firstIndex(of: "C1_COUNT_TOTAL") else {
                    throw ImportError(.unknownField, file: file, "colonnes DGUID, CHARACTERISTIC_ID et C1_COUNT_TOTAL attendues (profil du recensement en format long) ; colonnes présentes : \(cells.prefix(15).joined(separator: ", "))")
                }
                col = (d, h.firstIndex(of: "GEO_LEVEL") ?? d, h.firstIndex(of: "GEO_NAME") ?? d, i, v,
                       v + 1 < h.count && h[v + 1] == "SYMBOL" ? v + 1 : nil)
                return
            }
            guard cells.count > c.value else { return }
            let dguid = cells[c.dguid]
            // Census subdivisions of Quebec only: DGUID 2021A0005 + 24xxxxx.
            guard dguid.count == 16, dguid.contains("A000524"), let indicator = characteristics[cells[c.id].trimmingCharacters(in: .whitespaces)] else { return }
            let code = String(dguid.suffix(5))
            let symbol = c.symbol.flatMap { $0 < cells.count ? cells[$0].trimmingCharacters(in: .whitespaces) : nil } ?? ""
            let cell = cells[c.value]
            var value: CellValue
            // In the profile's SYMBOL column, `...` marks a withheld cell like `x`, `..` and `F`.
            if cell.trimmingCharacters(in: .whitespaces).isEmpty, CellValue.suppressionMarkers.contains(symbol) || symbol == CellValue.notApplicable {
                value = .suppressed
            } else if let v = CellValue.parse(cell, emptyIsSuppressed: emptyIsSuppressed) {
                value = v
            } else {
                throw ImportError(.missingValue, file: file, location: "ligne \(lineNumber) (\(dguid))",
                                  "colonne C1_COUNT_TOTAL : « \(cell) » n'est pas un nombre")
            }
            if byCode[code] == nil {
                byCode[code] = IndicatorTable.Row(row: lineNumber, code: code, name: cells[c.name], values: [:])
                order.append(code)
            }
            byCode[code]!.values[indicator] = value
        }

        while let block = try nextBlock(), !block.isEmpty {
            pending.append(contentsOf: block)
            let consumed = try pending.withUnsafeBufferPointer { buf -> Int in
                var start = 0
                for i in 0..<buf.count where buf[i] == 0x0A {
                    try handleLine(UnsafeBufferPointer(rebasing: buf[start..<i]))
                    start = i + 1
                }
                return start
            }
            pending.removeFirst(consumed)
        }
        if !pending.isEmpty { try pending.withUnsafeBufferPointer { try handleLine($0) } }
        guard header != nil else { throw ImportError(.emptyLayer, file: file, "fichier vide") }
        let names = Array(Set(characteristics.values)).sorted()
        var rows = order.map { byCode[$0]! }
        for i in rows.indices { for n in names where rows[i].values[n] == nil { rows[i].values[n] = .missing } }
        guard !rows.isEmpty else {
            throw ImportError(.missingValue, file: file, "aucune subdivision de recensement du Québec avec les caractéristiques \(characteristics.keys.sorted().joined(separator: ", "))")
        }
        return IndicatorTable(columns: names.map { ($0, "C1_COUNT_TOTAL") }, codeField: "DGUID", rows: rows, rowsRead: rows.count)
    }

    /// A CSV line split on commas outside quotes.
    static func fields(_ line: String) -> [String] {
        var out: [String] = [], cur = "", quoted = false
        for c in line {
            if c == "\"" { quoted.toggle() } else if c == "," && !quoted { out.append(cur); cur = "" } else { cur.append(c) }
        }
        out.append(cur)
        return out
    }
}
