import PortraitModel

/// The pure join of an indicator table to the territory: old codes carried onto current ones through the
/// code-change table, names matched when asked (`NameJoin`), merged codes combined (counts summed, the rest
/// population-weighted) only when every former part is in the file, and a join report that says how each unit
/// was matched and lists every row and territory left out. No file, no store: unit-tested as it is.
public enum IndicatorJoin {
    public struct Result: Sendable {
        /// One entry per matched territory, in file order: code → indicator → cell.
        public var values: [(code: String, values: [String: CellValue])]
        public var report: JoinReport
    }

    /// - Parameters:
    ///   - units: the territory's units at `level` (aquatic ones left out by the caller);
    ///   - storedPopulation: population by code for the same vintage, to weight merged rates;
    ///   - how: for rows matched by name, how (`NameJoin.Result.how`); code otherwise;
    ///   - ambiguousUnits: units some row could be without being told to be (name joins).
    public static func run(_ table: IndicatorTable, units: [TerritorialUnit], definitions: [String: IndicatorDefinition], level: Level,
                           codeChanges: CodeChanges, matchNames: Bool, storedPopulation: [String: Double],
                           how: [Int: String] = [:], ambiguousUnits: [String: [Int]] = [:], mrcNames: [String: String] = [:]) -> Result {
        var join = JoinReport()
        join.rows = table.rowsRead
        join.duplicates = table.duplicates
        join.withoutCode = table.withoutCode
        join.layout = table.layout
        let byCode = Dictionary(uniqueKeysWithValues: units.map { ($0.code, $0) })
        var how = how
        var ambiguousUnits = ambiguousUnits

        // Rows whose code is not the territory's: by name when asked (`--match-names`), with the same rules as a name join.
        var rows = table.rows
        if matchNames {
            let strays = rows.filter { r in byCode[level == .municipality ? codeChanges.current(r.code) : r.code] == nil && r.name != nil }
            if !strays.isEmpty {
                let named = NameJoin.resolve(strays, units: units, mrcNames: mrcNames, codeChanges: codeChanges)
                let found = Dictionary(uniqueKeysWithValues: named.rows.map { ($0.row, $0.code) })
                for i in rows.indices {
                    guard let code = found[rows[i].row] else { continue }
                    join.matchedByName.append(.init(row: rows[i].row, code: rows[i].code, name: rows[i].name))
                    rows[i].code = code
                    how[rows[i].row] = named.how[rows[i].row]
                }
                join.ambiguous += named.ambiguous
                ambiguousUnits.merge(named.ambiguousUnits) { a, b in Array(Set(a + b)).sorted() }
            }
        }

        // Carry old codes onto current ones, and group the rows by territory.
        var groups: [String: [IndicatorTable.Row]] = [:]
        var order: [String] = []
        let ambiguousRows = Set(join.ambiguous.map(\.row))
        for r in rows {
            let target = level == .municipality ? codeChanges.current(r.code) : r.code
            guard byCode[target] != nil else {
                if !ambiguousRows.contains(r.row) { join.unmatched.append(.init(row: r.row, code: r.code, name: r.name)) }
                continue
            }
            if groups[target] == nil { order.append(target) }
            groups[target, default: []].append(r)
        }
        var final: [(code: String, values: [String: CellValue])] = []
        var matchOf: [String: (how: String, rows: [Int])] = [:]
        for code in order {
            let parts = groups[code]!
            if parts.count == 1 && parts[0].code == code {
                final.append((code, parts[0].values))
                join.matched += 1
                join.kept += 1
                matchOf[code] = (how[parts[0].row] ?? "code", [parts[0].row])
                continue
            }
            // Several rows, or a former code: combined only through the code-change table, every former part present,
            // the current code absent (a file in one geography or the other, never both).
            let former = codeChanges.former(code)
            let present = parts.map(\.code)
            let complete = !present.contains(code) && Set(present) == Set(former) && present.count == former.count
            guard complete else {
                join.incompleteMerges.append(.init(newCode: code, present: present.sorted(),
                                                   missing: former.filter { !present.contains($0) },
                                                   rows: parts.map(\.row)))
                matchOf[code] = (present.contains(code) && present.count > 1 ? "conflit_ancien_et_nouveau_code" : "fusion_incomplete", parts.map(\.row))
                continue
            }
            join.matched += 1
            join.kept += parts.count
            let viaName = parts.contains { how[$0.row] != nil }
            matchOf[code] = (parts.count == 1 ? (viaName ? "ancien_nom" : "ancien_code") : (viaName ? "fusion_par_noms" : "fusion"), parts.map(\.row))
            if parts.count == 1 { final.append((code, parts[0].values)); continue }
            var merge = JoinReport.Merge(newCode: code, oldCodes: present.sorted(), notes: [])
            var combined: [String: CellValue] = [:]
            for (name, _) in table.columns {
                let d = definitions[name] ?? IndicatorDefinition.named(name)
                // The definition's own weight (land area for a density), else the population.
                let weights = parts.map { p in d.weight.map { p.values[$0]?.number } ?? (p.values["population"]?.number ?? storedPopulation[p.code]) }
                let (v, note) = combine(parts.map { $0.values[name] ?? .missing }, weights: weights, kind: d.kind, weight: d.weight,
                                        combinable: d.combinesFromParts)
                combined[name] = v
                if let note { merge.notes.append("\(name) : \(note)") }
            }
            join.merged.append(merge)
            join.aggregated += parts.count
            final.append((code, combined))
        }
        let matchedCodes = Set(final.map(\.code))
        join.withoutValue = units.filter { !matchedCodes.contains($0.code) }.map { .init(code: $0.code, name: $0.name) }
        let conflicting = Set(table.duplicates.filter(\.valuesDiffer).map(\.code))
        join.units = units.map { u in
            if let m = matchOf[u.code] { return .init(code: u.code, name: u.name, how: m.how, rows: m.rows) }
            if conflicting.contains(u.code) {
                return .init(code: u.code, name: u.name, how: "code_en_double", rows: table.duplicates.first { $0.code == u.code }?.rows ?? [])
            }
            if let rows = ambiguousUnits[u.code] { return .init(code: u.code, name: u.name, how: "ambigu", rows: rows) }
            return .init(code: u.code, name: u.name, how: "sans_correspondance", rows: [])
        }
        for (name, _) in table.columns {
            join.suppressed[name] = final.filter { $0.values[name] == .suppressed }.count
            join.missing[name] = final.filter { $0.values[name] == .missing }.count
        }
        return Result(values: final, report: join)
    }

    /// Values of merged old codes on one current code: counts summed, the others population-weighted; a part
    /// without a value (or without a population to weight it) leaves the whole without one, never a partial sum
    /// or an unweighted mean.
    /// A median, an index or a quintile of the whole cannot be computed from its parts' (the median of two towns is no
    /// mean of their medians): the merged code is left without a value, and the note says why.
    static func combine(_ parts: [CellValue], weights: [Double?], kind: IndicatorKind, weight: String? = nil,
                        combinable: Bool = true) -> (CellValue, String?) {
        if parts.contains(.suppressed) { return (.suppressed, "une partie confidentielle : total confidentiel") }
        if !combinable {
            return (.missing, "\(kind == .rate ? "une médiane" : kind == .quintile ? "un quintile" : "un indice") ne se calcule pas à partir de celles de \(parts.count) anciens codes : aucune valeur")
        }
        let values = parts.compactMap(\.number)
        if values.count < parts.count {
            return (.missing, values.isEmpty ? nil : "\(parts.count - values.count) partie(s) sans valeur sur \(parts.count) : aucune valeur")
        }
        if kind == .count { return (.value(values.reduce(0, +)), "somme de \(values.count) anciens codes") }
        var sum = 0.0, wsum = 0.0
        for (v, w) in zip(values, weights) {
            guard let w, w > 0 else { return (.missing, "\(weight ?? "population") inconnue pour une partie : moyenne non calculée") }
            sum += v * w; wsum += w
        }
        return (.value(sum / wsum), "moyenne pondérée par \(weight ?? "la population") de \(values.count) anciens codes")
    }
}
