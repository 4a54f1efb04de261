import Foundation
import PortraitGeometry
import PortraitModel

/// How a delimited text file was read, so that a user can see why: its encoding, separator, header line and
/// line ends, the rows above the header and the notes below the data. Given in every join report.
public struct TextLayout: Codable, Sendable, Hashable {
    /// "UTF-8", "UTF-8 (BOM)", "UTF-16LE (BOM)", "UTF-16BE (BOM)", "Windows-1252" or "ISO-8859-1".
    public var encoding: String
    /// The separator character: ",", ";", "\t" or "|".
    public var separator: String
    /// The header's line number (1 when there is no title above it).
    public var headerLine: Int
    /// "CRLF", "LF", "CR", "mixtes (…)" or "aucune" (a single line).
    public var lineEnds: String
    /// False when the last row has no line end (a file cut short looks like that).
    public var finalLineEnd: Bool
    /// Title and source rows above the header, skipped.
    public var linesAbove: Int
    /// Rows with only a first cell (a note, a source, a section title), listed and skipped.
    public var notes: [Note]
    /// Blank rows, skipped.
    public var blankRows: Int
    /// The line of the last record.
    public var lastLine: Int
    /// The line of the last data row when it has no line end: complete in its fields, but its last cell could
    /// have been cut (an interrupted download), so an import that reads that column refuses the file.
    public var unterminatedRow: Int?

    public struct Note: Codable, Sendable, Hashable {
        public var line: Int
        public var text: String
    }

    enum CodingKeys: String, CodingKey {
        case encoding, separator, headerLine = "header_line", lineEnds = "line_ends", finalLineEnd = "final_line_end",
             linesAbove = "lines_above", notes, blankRows = "blank_rows", lastLine = "last_line", unterminatedRow = "unterminated_row"
    }

    /// The separator's French name.
    public var separatorName: String {
        switch separator {
        case ";": "point-virgule"
        case ",": "virgule"
        case "\t": "tabulation"
        case "|": "barre verticale"
        default: "« \(separator) »"
        }
    }

    /// « UTF-8 (BOM), point-virgule, en-tête ligne 3, fins de ligne CRLF ».
    public var summaryFR: String {
        var s = "\(encoding), \(separatorName), en-tête ligne \(headerLine), fins de ligne \(lineEnds)"
        if !finalLineEnd { s += ", dernière ligne sans fin de ligne" }
        return s
    }
}

/// Reads CSV and other delimited text the way spreadsheets and statistics agencies write it, natively and as
/// a stream (blocks of 1 MiB; memory grows with the rows kept, not the file):
/// - encodings: UTF-8 with or without BOM, UTF-16 LE/BE with BOM, Windows-1252 and ISO-8859-1, decided from the
///   whole file's bytes (a first pass); a file that mixes UTF-8 with a one-byte encoding is refused with both lines;
/// - line ends: CRLF, LF or CR, mixed, and a missing final one;
/// - separators: comma, semicolon, tab or vertical bar, chosen from the field counts of the first rows (the one
///   that splits most rows into the same number of fields), not from the first line alone;
/// - quoted fields with separators, doubled quotes and line breaks inside;
/// - title and source rows above the header, notes and blank rows below or among the rows, trailing empty columns.
///
/// Every data row must have the header's number of fields (trailing empty fields aside): a row with more or fewer
/// is refused with its line and both counts, and a last row cut short (fewer fields, or an open quote at the end
/// of the file) is refused as a truncated file. GDAL's CSV driver was measured on the same layouts (see the README):
/// it reads neither UTF-16 nor Windows-1252 names, takes a comma as separator when a title row holds one, and pads
/// or drops fields silently, so that CSV never goes through GDAL; workbooks (XLSX, ODS) still do.
public enum DelimitedText {
    /// File extensions read by this reader.
    public static let extensions: Set<String> = ["csv", "tsv", "txt", "tab"]

    public static func handles(_ path: String) -> Bool { extensions.contains((path as NSString).pathExtension.lowercased()) }

    /// One row as read: its cells (trailing ones beyond the header dropped) and the line it starts on.
    public struct Record: Sendable {
        public var line: Int
        public var cells: [String]
    }

    /// A whole table: header found, every row checked, as a `SourceLayer` of text cells (feature index = line − 2,
    /// so that `index + 2` is the line number, as for GDAL's one-line header).
    /// - Parameters:
    ///   - keys: header names of which one marks the header row (the code or name column); the first row with two
    ///     cells or more otherwise.
    ///   - points: (x columns, y columns) to build a point from, as GDAL's `X_POSSIBLE_NAMES`/`Y_POSSIBLE_NAMES`;
    ///     `dropPointColumns` removes them from the attributes (`KEEP_GEOM_COLUMNS=NO`).
    ///   - keep: given the header, the columns whose cells are kept (nil: all); the others are still read and checked.
    public static func read(file: String, keys: [String] = [], points: (x: [String], y: [String])? = nil,
                            dropPointColumns: Bool = false, keep: (([String]) -> Set<String>?)? = nil) throws -> SourceLayer {
        var features: [SourceFeature] = []
        let (names, layout, hasPoints) = try stream(file: file, keys: keys, points: points, dropPointColumns: dropPointColumns,
                                                    keep: { keep?($0) }) { features.append($0) }
        return SourceLayer(path: file, name: ((file as NSString).lastPathComponent as NSString).deletingPathExtension, driver: "CSV",
                           fields: names, crsWKT: nil, crsName: nil, hasGeometryColumn: hasPoints,
                           features: features, textLayout: layout)
    }

    /// `read`, one row at a time: `keep` gets the header (and says which columns to keep, nil for all), then `row`
    /// gets each data row as a feature of those columns. Returns the field names (point columns dropped when asked)
    /// and how the file was read.
    @discardableResult
    static func stream(file: String, keys: [String] = [], points: (x: [String], y: [String])? = nil, dropPointColumns: Bool = false,
                       keep: ([String]) throws -> Set<String>?, row: (SourceFeature) throws -> Void) throws
        -> (fields: [String], layout: TextLayout, hasPoints: Bool) {
        var fields: [String] = []
        var kept: [(index: Int, name: String)] = []
        var xIndex: Int?, yIndex: Int?
        let layout = try scan(file: file, keys: keys, header: { header in
            fields = header
            let wanted = try keep(header)
            kept = header.enumerated().filter { wanted?.contains($0.element) ?? true }.map { ($0.offset, $0.element) }
            if let points {
                let keys = header.map { $0.lowercased() }
                xIndex = points.x.lazy.compactMap { keys.firstIndex(of: $0.lowercased()) }.first
                yIndex = points.y.lazy.compactMap { keys.firstIndex(of: $0.lowercased()) }.first
                if xIndex == nil || yIndex == nil { xIndex = nil; yIndex = nil }
            }
        }, row: { record in
            var attributes: [String: FieldValue] = [:]
            attributes.reserveCapacity(kept.count)
            for (i, name) in kept {
                if dropPointColumns, i == xIndex || i == yIndex { continue }
                attributes[name] = i < record.cells.count ? .string(record.cells[i]) : .null
            }
            var geometry: Geometry?
            if let xi = xIndex, let yi = yIndex, xi < record.cells.count, yi < record.cells.count,
               let x = coordinate(record.cells[xi]), let y = coordinate(record.cells[yi]) {
                geometry = .point(Point(x: x, y: y))
            }
            try row(SourceFeature(index: record.line - 2, attributes: attributes, geometry: geometry))
        })
        var names = fields
        if dropPointColumns, let xi = xIndex, let yi = yIndex { names = fields.enumerated().filter { $0.offset != xi && $0.offset != yi }.map(\.element) }
        return (names, layout, xIndex != nil)
    }

    /// A coordinate cell: a plain decimal number (a decimal comma accepted), nothing else.
    static func coordinate(_ s: String) -> Double? {
        let t = s.trimmingSpaces()
        guard !t.isEmpty else { return nil }
        return Double(t) ?? Double(t.replacingOccurrences(of: ",", with: "."))
    }

    /// Streams the table: `header` once with the column names, then `row` for every data row, in order.
    public static func scan(file: String, keys: [String] = [], header: ([String]) throws -> Void,
                            row: (Record) throws -> Void) throws -> TextLayout {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw ImportError(.fileNotFound, file: file, "fichier introuvable")
        }
        try InputFile.requireOrdinary(file)
        guard !isDirectory.boolValue else { throw ImportError(.notAGeoFile, file: file, "c'est un dossier, pas un tableau") }
        let encoding = try TextEncoding.detect(file: file)
        let decoder = try TranscodingReader(file: file, encoding: encoding)

        // A sample (the first 256 KiB, or the whole file) to choose the separator and find the header.
        var sample: [UInt8] = []
        var rest: [[UInt8]] = []
        while sample.count < 1 << 18, let block = try decoder.next() { sample.append(contentsOf: block) }
        let sampleIsWhole = try { () throws -> Bool in
            if let block = try decoder.next() { rest.append(block); return false }
            return true
        }()
        let wanted = Set(keys.map(Names.key))
        let separator = chooseSeparator(sample, whole: sampleIsWhole, keys: wanted)

        // The header: the first of the first 60 rows that names a key column, else the first with two cells or more.
        var sampleRecords: [RecordParser.Raw] = []
        do {
            var p = RecordParser(separator: separator)
            p.feed(sample) { sampleRecords.append($0); return sampleRecords.count < 60 }
        }
        // A row with a number that is not a year (a code, a value: « 31056 », « 306.9 ») is data, never the header, even
        // when one of its cells happens to name a key column (the MAMH register's designation « Municipalité »).
        func looksLikeData(_ r: RecordParser.Raw) -> Bool {
            r.cells.contains { c in
                let t = c.trimmingSpaces()
                guard !t.isEmpty, let v = Double(t.replacingOccurrences(of: ",", with: ".")) else { return false }
                return !(t.count == 4 && v == v.rounded() && (1900...2100).contains(v))
            }
        }
        var headerAt = sampleRecords.firstIndex { r in !looksLikeData(r) && r.cells.contains { !$0.isEmpty && wanted.contains(Names.key($0)) } }
        if headerAt == nil {
            headerAt = sampleRecords.firstIndex { r in r.cells.filter { !$0.isBlank }.count >= 2 }
        }
        guard let headerIndex = headerAt ?? (sampleRecords.isEmpty ? nil : 0) else {
            throw ImportError(.emptyLayer, file: file, "fichier vide")
        }

        var layout = TextLayout(encoding: encoding.name, separator: String(UnicodeScalar(separator)), headerLine: 1, lineEnds: "aucune",
                                finalLineEnd: true, linesAbove: 0, notes: [], blankRows: 0, lastLine: 1, unterminatedRow: nil)
        var columns: [String] = []
        var n = 0
        var index = 0
        var pendingNotes: [TextLayout.Note] = []
        var last: RecordParser.Raw?
        // Blank rows or notes since the last data row: a last line of one cell without a line end is a note
        // only after them (directly below the data, it is a row cut short).
        var apartFromData = false
        var parser = RecordParser(separator: separator)

        func handle(_ r: RecordParser.Raw) throws {
            defer { index += 1 }
            last = r
            if index < headerIndex { layout.linesAbove += 1; return }
            if index == headerIndex {
                var cells = r.cells.map { $0.trimmingSpaces() }
                while let l = cells.last, l.isEmpty, cells.count > 1 { cells.removeLast() }
                for (k, c) in cells.enumerated() { columns.append(c.isEmpty || columns.contains(c) ? "colonne_\(k + 1)" : c) }
                n = columns.count
                layout.headerLine = r.line
                try header(columns)
                return
            }
            // The last non-blank cell, and whether it is the only one (no array built: this runs for every row).
            var lastFilled = -1, filled = 0
            for (k, c) in r.cells.enumerated() where !c.isBlank { lastFilled = k; filled += 1 }
            let onlyFirst = filled == 1 && lastFilled == 0
            if filled == 0 { layout.blankRows += 1; apartFromData = true; return }
            if r.cells.count > n, lastFilled >= n {
                throw ImportError(.fieldCount, file: file, location: "ligne \(r.line)",
                                  "\(lastFilled + 1) champs, l'en-tête (ligne \(layout.headerLine)) en a \(n) ; "
                                  + "un « \(layout.separator == "\t" ? "tab" : layout.separator) » dans une valeur sans guillemets ?")
            }
            if r.cells.count < n {
                if r.openQuote || (!r.terminated && !(onlyFirst && apartFromData)) {
                    throw truncated(file, r, n: n, layout: layout)
                }
                if onlyFirst {
                    // A note, a source or a section title: one cell, listed and skipped.
                    pendingNotes.append(.init(line: r.line, text: r.cells[0].trimmingSpaces()))
                    apartFromData = true
                    return
                }
                throw ImportError(.fieldCount, file: file, location: "ligne \(r.line)",
                                  "\(r.cells.count) champs, l'en-tête (ligne \(layout.headerLine)) en a \(n)")
            }
            if r.openQuote { throw truncated(file, r, n: n, layout: layout) }
            apartFromData = false
            layout.unterminatedRow = r.terminated ? nil : r.line
            try row(Record(line: r.line, cells: r.cells.count == n ? r.cells : Array(r.cells.prefix(n))))
        }

        try parser.feed(sample) { try handle($0); return true }
        for block in rest { try parser.feed(block) { try handle($0); return true } }
        while let block = try decoder.next() { try parser.feed(block) { try handle($0); return true } }
        try parser.finish { try handle($0); return true }
        guard index > headerIndex else { throw ImportError(.emptyLayer, file: file, "fichier vide") }
        layout.notes = pendingNotes
        layout.lineEnds = parser.lineEnds
        layout.finalLineEnd = last?.terminated ?? true
        layout.lastLine = last?.line ?? 1
        return layout
    }

    static func truncated(_ file: String, _ r: RecordParser.Raw, n: Int, layout: TextLayout) -> ImportError {
        if r.openQuote {
            return ImportError(.truncated, file: file, location: "ligne \(r.line)",
                               "fichier tronqué ? un guillemet ouvert n'est jamais fermé avant la fin du fichier")
        }
        return ImportError(.truncated, file: file, location: "ligne \(r.line)",
                           "fichier tronqué ? la dernière ligne a \(r.cells.count) champ(s) et aucune fin de ligne, l'en-tête (ligne \(layout.headerLine)) en a \(n)")
    }

    /// The separator under which the header (the row that names a key column, else the first with two cells or
    /// more) is followed by the most rows of its own number of fields; a separator under which a key column is
    /// found beats one under which none is. Ties go to the larger number of fields, then to tab, semicolon, bar and
    /// comma (in that order, the least likely inside text).
    static func chooseSeparator(_ sample: [UInt8], whole: Bool, keys: Set<String>) -> UInt8 {
        var best: (sep: UInt8, keyed: Bool, rows: Int, fields: Int) = (UInt8(ascii: ","), false, -1, 0)
        for sep in [UInt8(ascii: "\t"), UInt8(ascii: ";"), UInt8(ascii: "|"), UInt8(ascii: ",")] {
            var p = RecordParser(separator: sep)
            var records: [[String]] = []
            p.feed(sample) { r in records.append(r.cells); return records.count < 200 }
            if whole, records.count < 200 { p.finish { r in records.append(r.cells); return true } }
            let keyed = records.prefix(60).firstIndex { $0.contains { !$0.isEmpty && keys.contains(Names.key($0)) } }
            guard let h = keyed ?? records.prefix(60).firstIndex(where: { $0.filter { !$0.isBlank }.count >= 2 })
            else { continue }
            var n = records[h].count
            while n > 1, records[h][n - 1].isBlank { n -= 1 }
            guard n >= 2 else { continue }
            let rows = records[(h + 1)...].filter { r in
                r.count >= n && r[n...].allSatisfy { $0.isBlank }
            }.count
            let candidate = (sep, keyed != nil, rows, n)
            let better = candidate.1 != best.keyed ? candidate.1 : (rows != best.rows ? rows > best.rows : n > best.fields)
            if better { best = candidate }
        }
        return best.sep
    }
}

/// A CSV state machine over UTF-8 bytes (separators, quotes and line ends are ASCII, so it never splits a character).
struct RecordParser {
    struct Raw {
        var line: Int
        var cells: [String]
        /// Ended by a line end (false for a last line without one).
        var terminated: Bool
        /// The file ended inside a quoted field.
        var openQuote: Bool
    }

    enum State { case start, unquoted, quoted, quoteSeen }

    let separator: UInt8
    var state = State.start
    var field: [UInt8] = []
    var cells: [String] = []
    var line = 1
    var recordLine = 1
    var lastWasCR = false
    var crInQuotes = false
    var crlf = 0, lf = 0, cr = 0
    var stopped = false

    init(separator: UInt8) { self.separator = separator }

    var lineEnds: String {
        let kinds = [("CRLF", crlf), ("LF", lf), ("CR", cr)].filter { $0.1 > 0 }
        if kinds.isEmpty { return "aucune" }
        if kinds.count == 1 { return kinds[0].0 }
        return "mixtes (" + kinds.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ")"
    }

    private mutating func endField() {
        cells.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        state = .start
    }

    private mutating func endRecord(_ emit: (Raw) throws -> Bool, terminated: Bool, openQuote: Bool = false) rethrows {
        let r = Raw(line: recordLine, cells: cells, terminated: terminated, openQuote: openQuote)
        cells.removeAll(keepingCapacity: true)
        recordLine = line
        if !stopped, try !emit(r) { stopped = true }
    }

    /// A line end outside quotes: the field and the record end there.
    private mutating func endLine(_ b: UInt8, _ emit: (Raw) throws -> Bool) rethrows {
        if b == 0x0D { cr += 1; lastWasCR = true; crInQuotes = false } else { lf += 1 }
        line += 1
        endField()
        try endRecord(emit, terminated: true)
    }

    /// Feeds bytes; `emit` gets each complete record and returns false to be given no more. Runs of ordinary bytes
    /// are copied at once: the state machine only looks at separators, quotes and line ends.
    mutating func feed(_ bytes: [UInt8], _ emit: (Raw) throws -> Bool) rethrows {
        let quote = UInt8(ascii: "\""), CR: UInt8 = 0x0D, LF: UInt8 = 0x0A
        let sep = separator
        try bytes.withUnsafeBufferPointer { buf in
            let n = buf.count
            var i = 0
            while i < n {
                if stopped { return }
                let b = buf[i]
                if lastWasCR {
                    lastWasCR = false
                    if b == LF {
                        if !crInQuotes { cr -= 1; crlf += 1 }
                        i += 1
                        continue
                    }
                }
                switch state {
                case .start, .unquoted:
                    if b == sep { endField(); i += 1 }
                    else if b == CR || b == LF { try endLine(b, emit); i += 1 } else if b == quote && state == .start { state = .quoted; i += 1 }
                    else {
                        var j = i + 1
                        while j < n { let c = buf[j]; if c == sep || c == CR || c == LF { break }; j += 1 }
                        field.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<j]))
                        state = .unquoted
                        i = j
                    }
                case .quoted:
                    // A line break inside a quoted field is the cell's, not a line end of the file (not counted as one).
                    if b == quote { state = .quoteSeen; i += 1 }
                    else if b == CR { lastWasCR = true; crInQuotes = true; line += 1; field.append(LF); i += 1 }
                    else if b == LF { line += 1; field.append(LF); i += 1 }
                    else {
                        var j = i + 1
                        while j < n { let c = buf[j]; if c == quote || c == CR || c == LF { break }; j += 1 }
                        field.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<j]))
                        i = j
                    }
                case .quoteSeen:
                    if b == quote { field.append(quote); state = .quoted }
                    else if b == sep { endField() }
                    else if b == CR || b == LF { try endLine(b, emit) }
                    else { field.append(b); state = .unquoted }   // `"Rimouski" 4`: the rest kept as written
                    i += 1
                }
            }
        }
    }

    /// The end of the input: a last record without a line end, or one left inside a quoted field.
    mutating func finish(_ emit: (Raw) throws -> Bool) rethrows {
        if state == .quoted {
            endField()
            try endRecord(emit, terminated: false, openQuote: true)
        } else if !field.isEmpty || !cells.isEmpty || state != .start {
            endField()
            try endRecord(emit, terminated: false)
        }
    }
}
