import PortraitModel

/// The pure join of an indicator table to the territory: old codes carried
/// onto current ones, names matched when asked, merged codes combined (counts
/// summed, the rest population-weighted), and a join report that lists every
/// row and territory left out. No file, no store: unit-tested as it is.
public enum IndicatorJoin {
    public struct Result: Sendable {
        /// One entry per matched territory, in file order: code → indicator → cell.
        public var values: [(code: String, values: [String: CellValue])]
        public var report: JoinReport
    }

    /// - Parameters:
    ///   - units: the territory's units at `level` (aquatic ones left out by the caller);
    ///   - storedPopulation: population by code for the same vintage, to weight merged rates.
    public static func run(_ table: IndicatorTable, units: [TerritorialUnit], definitions: [String: IndicatorDefinition], level: Level,
                           codeChanges: CodeChanges, matchNames: Bool, storedPopulation: [String: Double]) -> Result {
        var join = JoinReport()
        join.rows = table.rowsRead
        join.duplicates = table.duplicates
        join.withoutCode = table.withoutCode
        let byCode = Dictionary(uniqueKeysWithValues: units.map { ($0.code, $0) })
        var byName: [String: [TerritorialUnit]] = [:]
        for u in units { byName[IndicatorImporter.nameKey(u.name), default: []].append(u) }

        // Carry old codes onto current ones, then match codes (and names when asked).
        var groups: [String: [IndicatorTable.Row]] = [:]
        var order: [String] = []
        for r in table.rows {
            var target = level == .municipality ? codeChanges.current(r.code) : r.code
            if byCode[target] == nil, matchNames, let n = r.name, let hits = byName[IndicatorImporter.nameKey(n)], hits.count == 1 {
                target = hits[0].code
                join.matchedByName.append(.init(row: r.row, code: r.code, name: r.name))
            }
            guard byCode[target] != nil else {
                join.unmatched.append(.init(row: r.row, code: r.code, name: r.name))
                continue
            }
            if groups[target] == nil { order.append(target) }
            groups[target, default: []].append(r)
        }
        var final: [(code: String, values: [String: CellValue])] = []
        for code in order {
            let parts = groups[code]!
            join.matched += 1
            join.kept += parts.count
            if parts.count == 1 { final.append((code, parts[0].values)); continue }
            var merge = JoinReport.Merge(newCode: code, oldCodes: parts.map(\.code).sorted(), notes: [])
            var combined: [String: CellValue] = [:]
            for (name, _) in table.columns {
                let d = definitions[name] ?? IndicatorDefinition.named(name)
                let weights = parts.map { $0.values["population"]?.number ?? storedPopulation[$0.code] }
                let (v, note) = combine(parts.map { $0.values[name] ?? .missing }, weights: weights, kind: d.kind)
                combined[name] = v
                if let note { merge.notes.append("\(name) : \(note)") }
            }
            join.merged.append(merge)
            join.aggregated += parts.count
            final.append((code, combined))
        }
        let matchedCodes = Set(final.map(\.code))
        join.withoutValue = units.filter { !matchedCodes.contains($0.code) }.map { .init(code: $0.code, name: $0.name) }
        for (name, _) in table.columns {
            join.suppressed[name] = final.filter { $0.values[name] == .suppressed }.count
            join.missing[name] = final.filter { $0.values[name] == .missing }.count
        }
        return Result(values: final, report: join)
    }

    /// Values of merged old codes on one current code: counts summed (suppressed if any part is),
    /// the others population-weighted over the parts that have a value.
    static func combine(_ parts: [CellValue], weights: [Double?], kind: IndicatorKind) -> (CellValue, String?) {
        let values = parts.compactMap(\.number)
        let anySuppressed = parts.contains(.suppressed)
        if kind == .count {
            if anySuppressed { return (.suppressed, "une partie confidentielle : total confidentiel") }
            if values.isEmpty { return (.missing, nil) }
            return (.value(values.reduce(0, +)), "somme de \(values.count) anciens codes")
        }
        var sum = 0.0, wsum = 0.0
        var equal = false
        for (p, w) in zip(parts, weights) {
            guard let v = p.number else { continue }
            let weight = w ?? { equal = true; return 1.0 }()
            sum += v * weight; wsum += weight
        }
        guard wsum > 0 else { return (anySuppressed ? .suppressed : .missing, nil) }
        var note = "moyenne pondérée par la population sur \(values.count) de \(parts.count) anciens codes"
        if equal { note += " (population inconnue pour certains : poids égaux)" }
        return (.value(sum / wsum), note)
    }
}
