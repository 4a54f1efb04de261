import Foundation
import PortraitModel

/// A table of figures as data: named columns, typed cells (numbers stay numbers), written as CSV or as a sheet
/// of a workbook. Every table of a portrait carries the unit, the vintage and the source of its values.
public struct DataTable: Sendable, Hashable {
    public enum Cell: Sendable, Hashable {
        case text(String), number(Double), integer(Int), empty

        public static func of(_ v: Double?) -> Cell { v.map { $0.isFinite ? .number($0) : .empty } ?? .empty }
        public static func of(_ v: Int?) -> Cell { v.map(Cell.integer) ?? .empty }
        public static func of(_ s: String?) -> Cell { s.map(Cell.text) ?? .empty }
    }

    /// The file's or the sheet's name: lower case, no space (`indicateurs`, `classes`…).
    public var name: String
    public var title: String
    public var columns: [String]
    public var rows: [[Cell]]

    public init(name: String, title: String, columns: [String], rows: [[Cell]]) {
        self.name = name; self.title = title; self.columns = columns; self.rows = rows
    }
}

/// CSV as spreadsheets read it: UTF-8 with a byte-order mark (Excel then reads the accents), CRLF line ends,
/// fields quoted when they hold the separator, a quote or a line end. `excelFR`: semicolons and decimal commas,
/// as Excel set to French (Canada) writes and reads them. A text cell beginning with `=`, `+`, `-`, `@`, tab or carriage
/// return is written after an apostrophe, so that no spreadsheet runs it as a formula; numbers are never touched.
public enum CSVWriter {
    public static func data(_ t: DataTable, excelFR: Bool = false) -> Data {
        var w = Rows(columns: t.columns, excelFR: excelFR, capacity: t.rows.count)
        for r in t.rows { w.row(r) }
        return w.data
    }

    /// A CSV written row by row as bytes (UTF-8 with its mark, CRLF, quoting and formula guard as `data`): a table
    /// of a million rows is written in a fraction of a second, without holding its cells.
    public struct Rows {
        public private(set) var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        let sep: UInt8
        let decimalComma: Bool
        var first = true

        public init(columns: [String], excelFR: Bool = false, capacity: Int = 0) {
            sep = excelFR ? 0x3B : 0x2C
            decimalComma = excelFR
            bytes.reserveCapacity(64 * (capacity + 1))
            for c in columns { text(c) }
            end()
        }

        public var data: Data { Data(bytes) }

        mutating func separate() {
            if first { first = false } else { bytes.append(sep) }
        }

        /// A text cell.
        public mutating func text(_ raw: String) {
            separate()
            // A text that a spreadsheet would read as a formula starts with an apostrophe (`Escape.csvText`).
            let guarded = raw.unicodeScalars.first.map { Escape.formulaStarts.contains($0) } ?? false
            let bytes = raw.utf8
            // Separator, quote, CR and LF are ASCII: a byte scan of the UTF-8 finds them.
            guard bytes.contains(where: { $0 == sep || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                if guarded { self.bytes.append(0x27) }
                self.bytes.append(contentsOf: bytes)
                return
            }
            self.bytes.append(0x22)
            if guarded { self.bytes.append(0x27) }
            for b in bytes {
                if b == 0x22 { self.bytes.append(0x22) }
                self.bytes.append(b)
            }
            self.bytes.append(0x22)
        }

        public mutating func integer(_ i: Int) {
            separate()
            bytes.append(contentsOf: String(i).utf8)
        }

        public mutating func number(_ d: Double) {
            separate()
            for b in CSVWriter.number(d).utf8 { bytes.append(decimalComma && b == 0x2E ? 0x2C : b) }
        }

        public mutating func empty() { separate() }

        public mutating func cell(_ c: DataTable.Cell) {
            switch c {
            case .text(let s): text(s)
            case .integer(let i): integer(i)
            case .number(let d): number(d)
            case .empty: empty()
            }
        }

        /// Ends the row.
        public mutating func end() {
            bytes.append(0x0D); bytes.append(0x0A)
            first = true
        }

        public mutating func row(_ cells: [DataTable.Cell]) {
            for c in cells { cell(c) }
            end()
        }
    }

    /// The shortest decimal that reads back as the same double, never in exponent form.
    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        let s = d.description
        guard s.utf8.contains(0x65) else { return s }
        return String(format: "%.17f", d).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }
}

/// An Office Open XML workbook (.xlsx), one sheet per table: numbers as numbers, text inline, the header row
/// bold and frozen. Written by hand (a zip of stored entries): no library, and the same bytes for the same tables.
public enum XLSXWriter {
    public static func data(_ tables: [DataTable]) -> Data {
        var files: [(String, Data)] = []
        let sheets = tables.enumerated().map { i, t in (i + 1, sheetName(t.name, taken: tables.prefix(i).map(\.name))) }
        files.append(("[Content_Types].xml", Data(("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
            """ + sheets.map { "<Override PartName=\"/xl/worksheets/sheet\($0.0).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined()
            + "</Types>").utf8)))
        files.append(("_rels/.rels", Data("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """.utf8)))
        files.append(("xl/workbook.xml", Data(("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>
            """ + sheets.map { "<sheet name=\"\(esc($0.1))\" sheetId=\"\($0.0)\" r:id=\"rId\($0.0)\"/>" }.joined() + "</sheets></workbook>").utf8)))
        files.append(("xl/_rels/workbook.xml.rels", Data(("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            """ + sheets.map { "<Relationship Id=\"rId\($0.0)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0.0).xml\"/>" }.joined()
            + "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>").utf8)))
        files.append(("xl/styles.xml", Data("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>\
            <cellXfs count="2"><xf fontId="0"/><xf fontId="1" applyFont="1"/></cellXfs></styleSheet>
            """.utf8)))
        for (i, t) in tables.enumerated() { files.append(("xl/worksheets/sheet\(i + 1).xml", sheet(t))) }
        return Zip.stored(files)
    }

    static func sheetName(_ name: String, taken: [String]) -> String {
        var n = String(name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        var k = 2
        while taken.contains(n) { n = String(n.prefix(28)) + "-\(k)"; k += 1 }
        return n.isEmpty ? "feuille" : n
    }

    static func column(_ i: Int) -> String {
        var n = i + 1, s = ""
        while n > 0 { let r = (n - 1) % 26; s = String(UnicodeScalar(65 + r)!) + s; n = (n - 1) / 26 }
        return s
    }

    static func sheet(_ t: DataTable) -> Data {
        var out = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>
            """
        func row(_ r: Int, _ cells: [DataTable.Cell], bold: Bool) {
            out += "<row r=\"\(r)\">"
            for (j, c) in cells.enumerated() {
                let ref = column(j) + String(r), s = bold ? " s=\"1\"" : ""
                switch c {
                case .text(let v): out += "<c r=\"\(ref)\" t=\"inlineStr\"\(s)><is><t xml:space=\"preserve\">\(esc(v))</t></is></c>"
                case .integer(let v): out += "<c r=\"\(ref)\"\(s)><v>\(v)</v></c>"
                case .number(let v): out += "<c r=\"\(ref)\"\(s)><v>\(CSVWriter.number(v))</v></c>"
                case .empty: break
                }
            }
            out += "</row>"
        }
        row(1, t.columns.map(DataTable.Cell.text), bold: true)
        for (i, r) in t.rows.enumerated() { row(i + 2, r, bold: false) }
        return Data((out + "</sheetData></worksheet>").utf8)
    }

    static func esc(_ s: String) -> String { Escape.xml(s) }
}

/// A zip archive of stored (uncompressed) entries, as the Office formats accept: CRC-32, local headers, central
/// directory; fixed dates so that the same files give the same bytes.
enum Zip {
    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ d: Data) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in d { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func stored(_ files: [(String, Data)]) -> Data {
        var out = Data(), central = Data()
        func u16(_ v: Int, _ d: inout Data) { d.append(UInt8(v & 0xFF)); d.append(UInt8((v >> 8) & 0xFF)) }
        func u32(_ v: UInt32, _ d: inout Data) { for s in [0, 8, 16, 24] { d.append(UInt8((v >> UInt32(s)) & 0xFF)) } }
        let date = (1980 - 1980) << 9 | 1 << 5 | 1   // 1980-01-01
        for (name, data) in files {
            let n = Data(name.utf8), crc = crc32(data), offset = UInt32(out.count)
            u32(0x0403_4B50, &out); u16(20, &out); u16(0x0800, &out); u16(0, &out); u16(0, &out); u16(date, &out)
            u32(crc, &out); u32(UInt32(data.count), &out); u32(UInt32(data.count), &out); u16(n.count, &out); u16(0, &out)
            out.append(n); out.append(data)
            u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0x0800, &central); u16(0, &central); u16(0, &central)
            u16(date, &central); u32(crc, &central); u32(UInt32(data.count), &central); u32(UInt32(data.count), &central)
            u16(n.count, &central); u16(0, &central); u16(0, &central); u16(0, &central); u16(0, &central); u32(0, &central)
            u32(offset, &central); central.append(n)
        }
        let start = UInt32(out.count)
        out.append(central)
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(files.count, &out); u16(files.count, &out)
        u32(UInt32(central.count), &out); u32(start, &out); u16(0, &out)
        return out
    }
}
