import PortraitModel

/// An indicator computed at import from other columns of the same file, once they are joined (after former
/// codes are merged, so that a merged municipality's density is its summed population over its summed area).
/// A part that is suppressed leaves the result suppressed; a part missing, or an area of zero, leaves it without
/// a value: never a guess.
public enum DerivedIndicator: String, Sendable, CaseIterable {
    /// Inhabitants per km² of land: `population` / `superficie_terre`.
    case density = "densite_population"

    public var inputs: [String] {
        switch self {
        case .density: ["population", "superficie_terre"]
        }
    }

    public var definition: IndicatorDefinition { IndicatorDefinition.named(rawValue) }

    public func value(_ cells: [String: CellValue]) -> CellValue {
        let parts = inputs.map { cells[$0] ?? .missing }
        if parts.contains(.suppressed) { return .suppressed }
        switch self {
        case .density:
            guard let population = parts[0].number, let area = parts[1].number, area > 0 else { return .missing }
            return .value(population / area)
        }
    }

    /// Adds the derived columns whose inputs the table has, to the table and to every joined unit.
    static func apply(_ derived: [DerivedIndicator], table: inout IndicatorTable, joined: inout IndicatorJoin.Result) {
        for d in derived {
            let have = Set(table.columns.map(\.indicator))
            guard d.inputs.allSatisfy(have.contains), !have.contains(d.rawValue) else { continue }
            table.columns.append((d.rawValue, d.inputs.joined(separator: " / ")))
            for i in joined.values.indices { joined.values[i].values[d.rawValue] = d.value(joined.values[i].values) }
            joined.report.suppressed[d.rawValue] = joined.values.filter { $0.values[d.rawValue] == .suppressed }.count
            joined.report.missing[d.rawValue] = joined.values.filter { $0.values[d.rawValue] == .missing }.count
        }
    }
}
