import Foundation

/// Writes one table the many ways spreadsheets and statistics agencies save it: every combination of encoding,
/// line end, separator, quoting, decimal mark, thousands separator, title rows, notes, blank rows and trailing
/// empty columns. The cells given are the "true" text (decimal points, no thousands separators); the layout
/// rewrites numbers as it would be published.
struct TableLayout: Sendable, CustomStringConvertible {
    enum Encoding: CaseIterable, Sendable { case utf8, utf8BOM, windows1252, latin1, utf16LE, utf16BE }
    enum LineEnd: String, CaseIterable, Sendable { case lf = "\n", crlf = "\r\n", cr = "\r" }
    enum Quoting: CaseIterable, Sendable { case minimal, all }
    enum Thousands: String, CaseIterable, Sendable { case none = "", space = " ", nbsp = "\u{00A0}", narrow = "\u{202F}" }

    var encoding = Encoding.utf8
    var lineEnd = LineEnd.lf
    var finalLineEnd = true
    var separator: Character = ","
    var quoting = Quoting.minimal
    var decimalComma = false
    var thousands = Thousands.none
    var titleRows = 0
    var notes = 0
    var trailingEmpty = 0
    var blankRowBeforeNotes = true

    var description: String {
        "\(encoding) \(lineEnd == .lf ? "LF" : lineEnd == .crlf ? "CRLF" : "CR")\(finalLineEnd ? "" : " sans fin") sép=\(separator == "\t" ? "TAB" : String(separator)) "
            + "\(quoting) déc=\(decimalComma ? "virgule" : "point") milliers=\(thousands) titres=\(titleRows) notes=\(notes) vides=\(trailingEmpty)"
    }

    /// Columns whose cells are numbers (index → decimals shown).
    func write(header: [String], rows: [[String]], numeric: Set<Int>) -> Data {
        let sep = String(separator)
        func number(_ s: String) -> String {
            guard let v = Double(s) else { return s }
            let negative = v < 0
            let parts = s.trimmingCharacters(in: CharacterSet(charactersIn: "-")).split(separator: ".", maxSplits: 1).map(String.init)
            var int = parts[0]
            if thousands != .none {
                var grouped = ""
                for (i, c) in int.reversed().enumerated() { if i > 0 && i % 3 == 0 { grouped.append(contentsOf: thousands.rawValue) }; grouped.append(c) }
                int = String(grouped.reversed())
            }
            let frac = parts.count > 1 ? (decimalComma ? "," : ".") + parts[1] : ""
            return (negative ? "-" : "") + int + frac
        }
        func cell(_ raw: String) -> String {
            let needs = raw.contains(separator) || raw.contains("\"") || raw.contains("\n") || raw.contains("\r")
                || raw.hasPrefix(" ") || raw.hasSuffix(" ")
            guard quoting == .all || needs else { return raw }
            return "\"" + raw.replacingOccurrences(of: "\"", with: "\"\"") + "\"" 
        }
        func line(_ cells: [String]) -> String {
            (cells.map(cell) + Array(repeating: "", count: trailingEmpty)).joined(separator: sep)
        }
        var lines: [String] = []
        let titles = ["Tableau 1 – Population, superficie et taux, municipalités (données SYNTHÉTIQUES)",
                      "Source : compilation synthétique « à la manière » de Statistique Canada, 2021"]
        for t in titles.prefix(titleRows) { lines.append(line([t])) }
        lines.append(line(header))
        for r in rows { lines.append(line(r.enumerated().map { numeric.contains($0.offset) ? number($0.element) : $0.element })) }
        if notes > 0 {
            if blankRowBeforeNotes { lines.append(line(Array(repeating: "", count: 1))) }
            let texts = ["Note : les valeurs de ce tableau sont SYNTHÉTIQUES, pour les tests.", "x : confidentiel ; .. : non disponible."]
            for n in texts.prefix(notes) { lines.append(line([n])) }
        }
        var text = lines.joined(separator: lineEnd.rawValue)
        if finalLineEnd { text += lineEnd.rawValue }
        if encoding == .windows1252 { text = text.replacingOccurrences(of: "Tableau 1 –", with: "Tableau 1 — ’") }
        switch encoding {
        case .utf8: return Data(text.utf8)
        case .utf8BOM: return Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)
        case .windows1252: return text.replacingOccurrences(of: "\u{202F}", with: "\u{00A0}").data(using: .windowsCP1252)!
        case .latin1: return text.replacingOccurrences(of: "–", with: "-").replacingOccurrences(of: "\u{202F}", with: "\u{00A0}").data(using: .isoLatin1)!
        case .utf16LE: return Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!
        case .utf16BE: return Data([0xFE, 0xFF]) + text.data(using: .utf16BigEndian)!
        }
    }
}
