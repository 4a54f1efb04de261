import Foundation
import PortraitModel

/// The change of an indicator between two vintages: absolute, in percent and as a compound average annual
/// rate. Percent and rate need a positive starting value (they are nil otherwise, and for indices, whose zero
/// is arbitrary: the IVE's change is read in points).
public struct IndicatorChange: Codable, Sendable, Hashable {
    public var from: Double
    public var to: Double
    public var absolute: Double
    public var percent: Double?
    /// ((to / from)^(1 / years) − 1) × 100.
    public var annualRate: Double?

    public init(from: Double, to: Double, years: Int, kind: IndicatorKind) {
        self.from = from; self.to = to
        absolute = to - from
        let relative = kind != .index && kind != .quintile && from > 0
        percent = relative ? (to - from) / from * 100 : nil
        annualRate = relative && to > 0 && years > 0 ? (pow(to / from, 1 / Double(years)) - 1) * 100 : nil
    }

    enum CodingKeys: String, CodingKey { case from, to, absolute, percent, annualRate = "annual_rate" }

    /// The figure a map classifies: percent for counts and rates, points for indices.
    public var mapped: Double? { percent ?? (from.isFinite ? absolute : nil) }

    /// Municipal values of an older vintage carried onto today's codes: a current code without a value of its own
    /// takes those of its former codes (counts summed; rates and indices weighted by the former codes' population).
    public static func carried(_ values: [String: CellValue], kind: IndicatorKind, population: [String: CellValue],
                               codeChanges: CodeChanges) -> [String: CellValue] {
        var out = values
        var groups: [String: [String]] = [:]
        for (old, new) in codeChanges.map where values[old] != nil { groups[new, default: []].append(old) }
        for (new, olds) in groups where values[new] == nil {
            let parts = olds.sorted().map { values[$0]! }
            if parts.contains(.suppressed) { out[new] = .suppressed; continue }
            let numbers = zip(olds.sorted(), parts).compactMap { code, v in v.number.map { (code, $0) } }
            guard numbers.count == parts.count, !numbers.isEmpty else { out[new] = .missing; continue }
            if kind == .count {
                out[new] = .value(numbers.map(\.1).reduce(0, +))
            } else {
                let w = numbers.map { population[$0.0]?.number ?? 0 }
                let total = w.reduce(0, +)
                out[new] = total > 0 ? .value(zip(numbers, w).map { $0.1 * $1 }.reduce(0, +) / total) : .missing
            }
        }
        return out
    }

    /// Per municipality, from `old` to `new` values (already on today's codes).
    public static func municipal(old: [String: CellValue], new: [String: CellValue], years: Int, kind: IndicatorKind) -> [String: IndicatorChange] {
        var out: [String: IndicatorChange] = [:]
        for (code, v) in new {
            guard let b = v.number, let a = old[code]?.number else { continue }
            out[code] = IndicatorChange(from: a, to: b, years: years, kind: kind)
        }
        return out
    }
}
