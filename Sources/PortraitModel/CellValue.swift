/// One cell of an indicator file, read the way official Quebec and Canadian
/// tables write numbers.
public enum CellValue: Hashable, Sendable {
    case value(Double)
    /// Withheld by the publisher (`x`, `..`, `F`): never zero, never simply missing.
    case suppressed
    /// Empty, a dash, or `...` (Statistics Canada: "n'ayant pas lieu de figurer", not applicable): no figure at all.
    case missing

    public var number: Double? { if case .value(let v) = self { return v } else { return nil } }

    /// Markers of suppressed values: Statistics Canada `x` (confidential) and `..` (not available), ISQ and
    /// INSPQ `x`, `F` (too unreliable to be published).
    public static let suppressionMarkers: Set<String> = ["x", "X", "..", "F", "f"]
    /// Statistics Canada's "not applicable" (`...`): read as no value, not as a suppressed one.
    public static let notApplicable = "..."

    /// True when the cell is written as a percentage (« 5 % »).
    public static func isPercent(_ raw: String?) -> Bool { raw?.contains("%") ?? false }

    /// Parses a cell: decimal commas (`12,5`), thousands separated by spaces,
    /// no-break spaces or thin spaces (`48 935`), `%` signs, a leading `+`.
    /// Returns nil when the text is not a number, a marker or empty.
    public static func parse(_ raw: String?, emptyIsSuppressed: Bool = false) -> CellValue? {
        guard let raw else { return emptyIsSuppressed ? .suppressed : .missing }
        var s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.isEmpty { return emptyIsSuppressed ? .suppressed : .missing }
        if suppressionMarkers.contains(s) { return .suppressed }
        if s == notApplicable || s == "…" { return .missing }
        if s == "-" || s == "—" || s == "–" { return .missing }
        s = s.replacingOccurrences(of: "%", with: "")
        s.removeAll { $0 == " " || $0 == "\u{00A0}" || $0 == "\u{202F}" || $0 == "\u{2009}" || $0 == "'" }
        if s.hasPrefix("+") { s.removeFirst() }
        s = s.replacingOccurrences(of: "\u{2212}", with: "-")   // typographic minus
        let commas = s.filter { $0 == "," }.count, dots = s.filter { $0 == "." }.count
        if commas > 0 && dots > 0 {
            // Both: the last one is the decimal mark, the other groups thousands.
            if s.lastIndex(of: ",")! > s.lastIndex(of: ".")! {
                s = s.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
            } else {
                s = s.replacingOccurrences(of: ",", with: "")
            }
        } else if commas == 1 {
            s = s.replacingOccurrences(of: ",", with: ".")
        } else if commas > 1 {
            s = s.replacingOccurrences(of: ",", with: "")   // 1,234,567
        }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "e" || $0 == "E") }),
              let v = Double(s), v.isFinite else { return nil }
        // Too small to be represented: never stored as 0 (nor as a subnormal that has lost its digits).
        if v == 0, s.prefix { $0 != "e" && $0 != "E" }.contains(where: { ("1"..."9").contains($0) }) { return nil }
        if v != 0, abs(v) < Double.leastNormalMagnitude { return nil }
        return .value(v)
    }
}

import Foundation
