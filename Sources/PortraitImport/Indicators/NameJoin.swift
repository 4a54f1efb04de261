import PortraitModel

/// Joins rows that carry names and no codes (Statistics Canada tables downloaded in French,
/// regional compilations): a normalised name (case, accents, hyphens, apostrophes,
/// punctuation and spacing ignored), the designation when the name repeats, and the former
/// names of merged municipalities. A row is given a code only when exactly one unit matches;
/// the others are reported, never guessed. Pure.
public enum NameJoin {
    public struct Result: Sendable {
        /// The rows that matched exactly one unit, with its code.
        public var rows: [IndicatorTable.Row] = []
        public var ambiguous: [JoinReport.Ambiguous] = []
        public var unmatched: [JoinReport.Row] = []
    }

    /// Former names (MAMH, *Répertoire des municipalités*): municipalities merged into current ones,
    /// with the code-change table's current codes, and municipalities renamed since the 2021 census
    /// (the names the census uses, the SDA's current names): name key → current code.
    public static let builtInFormerNames: [String: String] = [
        Names.key("Saint-Guy"): "13062",
        Names.key("Saint-Onésime-d'Ixworth"): "14082",
        Names.key("Sainte-Anne-de-la-Pocatière"): "14082",
        Names.key("Sainte-Jeanne-d'Arc"): "09020",      // now Sainte-Jeanne-d'Arc-de-la-Mitis
        Names.key("Saint-Germain"): "14045",            // now Saint-Germain-de-Kamouraska
    ]

    public static func resolve(_ rows: [IndicatorTable.Row], units: [TerritorialUnit], formerNames: [String: String]) -> Result {
        var byName: [String: [TerritorialUnit]] = [:]
        for u in units { byName[Names.municipalKey(u.name), default: []].append(u) }
        var out = Result()
        for r in rows {
            let key = Names.municipalKey(r.name ?? "")
            var hits = byName[key] ?? []
            if hits.count > 1, let d = r.designation, !d.isEmpty {
                let sda = Designation.fromStatCanCSDType[d] ?? d
                hits = hits.filter { $0.designation == sda }
            }
            if hits.isEmpty, let code = formerNames[key], units.contains(where: { $0.code == code }) {
                var row = r
                row.code = code
                out.rows.append(row)
                continue
            }
            switch hits.count {
            case 1:
                var row = r
                row.code = hits[0].code
                out.rows.append(row)
            case 0:
                out.unmatched.append(.init(row: r.row, code: "", name: r.name))
            default:
                out.ambiguous.append(.init(row: r.row, name: r.name ?? "", candidates: hits.map { "\($0.code) \($0.name) (\($0.designation ?? "?"))" }))
            }
        }
        return out
    }
}
