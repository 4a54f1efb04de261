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
        let s = raw.trimmingSpaces()
        if s.isEmpty { return emptyIsSuppressed ? .suppressed : .missing }
        if suppressionMarkers.contains(s) { return .suppressed }
        if s == notApplicable || s == "…" { return .missing }
        if s == "-" || s == "—" || s == "–" { return .missing }
        // One pass over the characters: spaces of every kind, apostrophes and `%` dropped, the typographic minus read
        // as a minus; anything else than digits, signs, marks and exponents is no number.
        var b: [UInt8] = []
        b.reserveCapacity(s.utf8.count)
        var commas = 0, dots = 0, lastComma = -1, lastDot = -1
        for u in s.unicodeScalars {
            switch u.value {
            case 0x20, 0xA0, 0x202F, 0x2009, 0x27, 0x25: continue
            case 0x2212: b.append(0x2D)
            case 0x2C: commas += 1; lastComma = b.count; b.append(0x2C)
            case 0x2E: dots += 1; lastDot = b.count; b.append(0x2E)
            case 0x30...0x39, 0x2D, 0x2B, 0x65, 0x45: b.append(UInt8(u.value))
            default: return nil
            }
        }
        if b.first == 0x2B { b.removeFirst(); lastComma -= 1; lastDot -= 1 }
        if commas > 0 && dots > 0 {
            // Both: the last one is the decimal mark, the other groups thousands.
            if lastComma > lastDot {
                b = b.filter { $0 != 0x2E }.map { $0 == 0x2C ? 0x2E : $0 }
            } else {
                b.removeAll { $0 == 0x2C }
            }
        } else if commas == 1 {
            b = b.map { $0 == 0x2C ? 0x2E : $0 }
        } else if commas > 1 {
            b.removeAll { $0 == 0x2C }   // 1,234,567
        }
        if b.contains(0x2B) { return nil }
        let text = String(decoding: b, as: UTF8.self)
        guard !b.isEmpty, let v = Double(text), v.isFinite else { return nil }
        // Too small to be represented: never stored as 0 (nor as a subnormal that has lost its digits).
        if v == 0, b.prefix(while: { $0 != 0x65 && $0 != 0x45 }).contains(where: { $0 >= 0x31 && $0 <= 0x39 }) { return nil }
        if v != 0, abs(v) < Double.leastNormalMagnitude { return nil }
        return .value(v)
    }
}

import Foundation
