import Foundation
import PortraitModel

/// The other columns of a row that tell homonyms apart, as written.
public struct RowContext: Sendable, Hashable {
    public var designation: String?
    public var mrc: String?
    public var division: String?
    public var region: String?
    public var area: String?

    public init(designation: String? = nil, mrc: String? = nil, division: String? = nil, region: String? = nil, area: String? = nil) {
        self.designation = designation; self.mrc = mrc; self.division = division; self.region = region; self.area = area
    }

    /// Which of a table's columns hold them (headers matched exactly, ignoring case, accents and punctuation).
    struct Columns: Sendable {
        var designation, mrc, division, region, area: String?

        var all: [String] { [designation, mrc, division, region, area].compactMap { $0 } }

        static let designationHeaders = ["Abréviation du nom du genre de région géographique", "Genre de région géographique", "Genre",
                                         "CSDTYPE", "designation", "désignation", "mdes", "MUS_CO_DES", "Type de municipalité", "Statut"]
        static let mrcHeaders = ["MRC", "Nom de la MRC", "MRC ou territoire équivalent", "Municipalité régionale de comté", "MRS_NM_MRC",
                                 "MRS_CO_MRC", "Code MRC", "code_mrc", "nom_mrc", "mrc_code", "mrc_nom"]
        static let divisionHeaders = ["divrec", "Division de recensement", "Nom de la division de recensement", "CDNAME", "CDUID",
                                      "Census division", "DR"]
        static let regionHeaders = ["regadm", "Région administrative", "Région", "region", "RES_NM_REG", "RES_CO_REG", "Code région",
                                    "region_code", "Nom de la région"]
        static let areaHeaders = ["msuperf", "Superficie", "Superficie (km²)", "Superficie (km2)", "superficie_km2", "Superficie en terre ferme",
                                  "Superficie des terres", "Land area", "Land area in square kilometres", "area_km2"]

        static func detect(_ fields: [String]) -> Columns {
            func exact(_ candidates: [String]) -> String? {
                let keys = candidates.map(Names.key)
                for k in keys { if let f = fields.first(where: { Names.key($0) == k }) { return f } }
                return nil
            }
            return Columns(designation: exact(designationHeaders), mrc: exact(mrcHeaders), division: exact(divisionHeaders),
                           region: exact(regionHeaders),
                           area: exact(areaHeaders) ?? fields.first { Names.key($0).hasPrefix("superficie") })
        }

        func read(_ f: SourceFeature) -> RowContext {
            func cell(_ c: String?) -> String? {
                c.flatMap { f.attributes[$0]?.text?.trimmingSpaces() }.flatMap { $0.isEmpty ? nil : $0 }
            }
            return RowContext(designation: cell(designation), mrc: cell(mrc), division: cell(division), region: cell(region), area: cell(area))
        }
    }
}

/// Joins rows that carry names and no codes (Statistics Canada tables downloaded in French, the MAMH register,
/// regional compilations). Names are normalised (case, accents, hyphens, apostrophes, « St-/Ste- », footnote
/// numbers and markers such as "Rimouski 4", "Lac-Huron (TNO)"), and every column the table offers tells
/// homonyms apart: the designation (Statistics Canada's abbreviations mapped to the SDA's), the MRC or census
/// division (name or code), the region, the area within 2 % (of the register's published area). A row is given a code only when exactly one
/// candidate remains **and** no other row could be that unit: a name shared by several rows or several units,
/// in the store or anywhere in Quebec (the MAMH register's homonyms), is ambiguous, listed with its rows and
/// never joined, averaged or summed. Former names give former codes, which only the code-change table carries
/// onto current units (mergers). Pure.
public enum NameJoin {
    public struct Result: Sendable {
        /// The rows matched, each with the code it designates (a current code, or a former one).
        public var rows: [IndicatorTable.Row] = []
        public var ambiguous: [JoinReport.Ambiguous] = []
        public var unmatched: [JoinReport.Row] = []
        /// Rows of a part of a territory (« (partie) »): never the whole unit's value.
        public var partial: [JoinReport.Row] = []
        /// How each matched row was found, by row number: "nom", "nom+designation", "ancien_nom"…
        public var how: [Int: String] = [:]
        /// Store units that some row could be but that no row could be told to be, with those rows.
        public var ambiguousUnits: [String: [Int]] = [:]
    }

    /// A former name of a municipality (MAMH, *Répertoire des municipalités*; 2021 census names): the code it
    /// carried, which the code-change table maps onto the current unit.
    public struct FormerName: Sendable, Hashable {
        public var name: String
        public var code: String
        public var designation: String
        public var mrcCode: String
    }

    /// Mergers and renamings since the 2021 census in Bas-Saint-Laurent (the census's names, the MAMH register):
    /// - 11020 Saint-Guy and 13060 Lac-des-Aigles → 13062 Lac-des-Aigles;
    /// - 14080 Saint-Onésime-d'Ixworth, 14085 La Pocatière and 14090 Sainte-Anne-de-la-Pocatière → 14082 La Pocatière;
    /// - 09020 Sainte-Jeanne-d'Arc, now Sainte-Jeanne-d'Arc-de-la-Mitis; 14045 Saint-Germain, now Saint-Germain-de-Kamouraska.
    public static let builtInFormerNames: [FormerName] = [
        .init(name: "Saint-Guy", code: "11020", designation: "M", mrcCode: "11"),
        .init(name: "Lac-des-Aigles", code: "13060", designation: "M", mrcCode: "13"),
        .init(name: "Saint-Onésime-d'Ixworth", code: "14080", designation: "M", mrcCode: "14"),
        .init(name: "La Pocatière", code: "14085", designation: "V", mrcCode: "14"),
        .init(name: "Sainte-Anne-de-la-Pocatière", code: "14090", designation: "P", mrcCode: "14"),
        .init(name: "Sainte-Jeanne-d'Arc", code: "09020", designation: "P", mrcCode: "09"),
        .init(name: "Saint-Germain", code: "14045", designation: "P", mrcCode: "14"),
    ]

    /// Someone a row's name could designate.
    struct Candidate: Hashable {
        /// The code the row receives (a unit's, or a former code the code changes carry).
        var code: String
        /// The store unit it is (nil: a Quebec entity outside the store).
        var unit: String?
        /// The name it bears under this key (the unit's, the register's, or the former one).
        var name: String = ""
        var designation: String?
        var mrcCode: String?
        var mrcName: String?
        var regionCode: String?
        var area: Double?
        /// The register's area (land, published): a disagreement beyond 2 % rules the candidate out. A store's area is
        /// measured on its polygon (water included on the shore): it only ever confirms.
        var areaPublished: Bool
        var former: Bool
    }

    /// The index of every candidate by name key.
    struct Index {
        var byKey: [String: [Candidate]] = [:]

        init(units: [TerritorialUnit], mrcNames: [String: String], formerNames: [FormerName], codeChanges: CodeChanges) {
            let inStore = Set(units.map(\.code))
            let homonyms = QuebecHomonyms.parsed
            let published = Dictionary(homonyms.map { ($0.code, $0) }) { a, _ in a }
            func add(_ key: String, _ c: Candidate) {
                var list = byKey[key, default: []]
                if let i = list.firstIndex(where: { $0.code == c.code && $0.former == c.former }) {
                    // The same entity from the store and the register: the register's published area and MRC name kept.
                    var merged = list[i]
                    if c.areaPublished { merged.area = c.area; merged.areaPublished = true }
                    merged.mrcName = merged.mrcName ?? c.mrcName
                    merged.designation = merged.designation ?? c.designation
                    merged.regionCode = merged.regionCode ?? c.regionCode
                    merged.mrcCode = merged.mrcCode ?? c.mrcCode
                    list[i] = merged
                } else {
                    list.append(c)
                }
                byKey[key] = list
            }
            for u in units {
                let p = published[u.code]
                add(MunicipalName(u.name).key,
                    Candidate(code: u.code, unit: u.code, name: u.name, designation: u.designation, mrcCode: u.mrcCode,
                              mrcName: u.mrcCode.flatMap { mrcNames[$0] ?? QuebecHomonyms.mrcs[$0] }, regionCode: u.regionCode,
                              area: p?.area ?? u.areaKm2, areaPublished: p != nil, former: false))
            }
            for h in homonyms {
                let current = codeChanges.current(h.code)
                add(MunicipalName(h.name).key,
                    Candidate(code: h.code, unit: inStore.contains(h.code) ? h.code : (inStore.contains(current) ? current : nil),
                              name: h.name, designation: h.designation, mrcCode: h.mrcCode, mrcName: h.mrcCode.flatMap { QuebecHomonyms.mrcs[$0] },
                              regionCode: h.regionCode, area: h.area, areaPublished: h.area != nil,
                              former: !inStore.contains(h.code) && inStore.contains(current)))
            }
            for f in formerNames {
                let current = codeChanges.current(f.code)
                guard inStore.contains(current) || inStore.contains(f.code) else { continue }
                let unit = inStore.contains(f.code) ? f.code : current
                let c = Candidate(code: f.code, unit: unit, name: f.name, designation: f.designation, mrcCode: f.mrcCode,
                                  mrcName: mrcNames[f.mrcCode] ?? QuebecHomonyms.mrcs[f.mrcCode], regionCode: nil, area: nil,
                                  areaPublished: false, former: true)
                let key = MunicipalName(f.name).key
                // A renaming keeps the code: the former name is one more name of the same unit.
                if f.code == unit, byKey[key]?.contains(where: { $0.code == f.code }) == true { continue }
                add(key, c)
            }
        }
    }

    /// What a row's context columns say of a candidate.
    struct Verdict {
        var keep = true
        /// The columns that ruled out at least one other candidate.
        var decisive: [String] = []
    }

    /// The candidates that no column of the row contradicts, and the columns that ruled the others out.
    static func filter(_ candidates: [Candidate], row: IndicatorTable.Row, nameDesignation: String?) -> (kept: [Candidate], by: [String]) {
        var kept = candidates
        var by: [String] = []
        // Columns only tell candidates apart: a name that only one entity of Quebec bears is that entity whatever a
        // column says (designations and MRC change over the years), and a column that would rule out every
        // candidate is not trusted for this row (they stay ambiguous).
        func narrow(_ label: String, _ test: (Candidate) -> Bool?) {
            guard kept.count > 1 else { return }
            let next = kept.filter { test($0) ?? true }
            guard !next.isEmpty else { return }
            if next.count < kept.count { by.append(label) }
            kept = next
        }
        let designation = (row.context.designation ?? row.designation).flatMap { Designation.parse($0) } ?? nameDesignation
        if let d = designation { narrow("designation") { c in c.designation.map { $0 == d } } }
        if let m = row.context.mrc {
            let codes = Self.codes(in: m).map(Self.sdaMRC)
            let name = Self.territoryKey(m)
            narrow("mrc") { c in
                if !codes.isEmpty { return c.mrcCode.map { codes.contains($0) } }
                guard !name.isEmpty, let n = c.mrcName else { return nil }
                return Self.territoryKey(n) == name
            }
        }
        if let d = row.context.division {
            let codes = Self.codes(in: d)
            // A census division's code is the first two digits of its municipalities' codes; its name is most often its MRC's.
            if !codes.isEmpty {
                narrow("division") { c in codes.contains(String(c.code.prefix(2))) }
            } else if !Self.territoryKey(d).isEmpty {
                narrow("division") { c in c.mrcName.map { Self.territoryKey($0) == Self.territoryKey(d) } }
            }
        }
        if let r = row.context.region {
            var codes = Self.codes(in: r).map { $0.count == 1 ? "0" + $0 : $0 }
            if codes.isEmpty, let code = QuebecHomonyms.regions.first(where: { Self.territoryKey($0.value) == Self.territoryKey(r) })?.key { codes = [code] }
            if !codes.isEmpty { narrow("region") { c in c.regionCode.map { codes.contains($0) } } }
        }
        if let a = row.context.area, let area = CellValue.parse(a)?.number, area > 0 {
            narrow("superficie") { c in
                guard let ca = c.area, ca > 0 else { return nil }
                let close = abs(ca - area) <= 0.02 * max(ca, area)
                return close ? true : (c.areaPublished ? false : nil)
            }
        }
        return (kept, by)
    }

    /// Codes written in a cell: "(070)" at the end of a name, or the whole cell when it is a number.
    static func codes(in s: String) -> [String] {
        let t = s.trimmingSpaces()
        if !t.isEmpty, t.allSatisfy(\.isNumber) { return [t] }
        if let open = t.lastIndex(of: "("), t.hasSuffix(")") {
            let inner = t[t.index(after: open)..<t.index(before: t.endIndex)]
            if !inner.isEmpty, inner.allSatisfy(\.isNumber) { return [String(inner)] }
        }
        return []
    }

    /// The MAMH's three-digit MRC code of an undivided MRC ends in 0 ("070"): the SDA writes it "07".
    static func sdaMRC(_ c: String) -> String { c.count == 3 && c.hasSuffix("0") ? String(c.prefix(2)) : c }

    /// "MRC de La Matapédia (070)" and "La Matapédia" → "matapedia": an MRC's or region's name without its kind,
    /// code and leading articles.
    static func territoryKey(_ s: String) -> String {
        var t = s
        if let open = t.lastIndex(of: "("), t.hasSuffix(")") { t = String(t[..<open]) }
        var words = Names.key(t).split(separator: "_").map(String.init)
        if words.starts(with: ["municipalite", "regionale", "de", "comte"]) { words.removeFirst(4) }
        while let w = words.first, words.count > 1, ["mrc", "te", "ville", "agglomeration", "de", "du", "des", "d", "la", "le", "les", "l"].contains(w) {
            words.removeFirst()
        }
        return words.joined(separator: "_")
    }

    public static func resolve(_ rows: [IndicatorTable.Row], units: [TerritorialUnit], mrcNames: [String: String] = [:],
                               formerNames: [FormerName] = builtInFormerNames, codeChanges: CodeChanges = .builtIn) -> Result {
        let index = Index(units: units, mrcNames: mrcNames, formerNames: formerNames, codeChanges: codeChanges)
        var out = Result()
        /// Rows with exactly one candidate, or several candidates that are all one store unit (current and former codes).
        var settled: [(row: IndicatorTable.Row, choices: [Candidate], by: [String])] = []
        /// Store unit → rows that could be it without being told to be it.
        var doubtful: [String: [Int]] = [:]
        for r in rows {
            let parsed = MunicipalName(r.name ?? "")
            if parsed.partial {
                out.partial.append(.init(row: r.row, code: "", name: r.name))
                continue
            }
            let all = index.byKey[parsed.key] ?? []
            let (kept, by) = filter(all, row: r, nameDesignation: parsed.designation)
            let unitsKept = Set(kept.map { $0.unit ?? "hors:" + $0.code })
            if kept.isEmpty || kept.allSatisfy({ $0.unit == nil }) {
                // No candidate, or only entities of Quebec outside the store: no territory of the store.
                out.unmatched.append(.init(row: r.row, code: "", name: r.name))
            } else if unitsKept.count == 1 {
                settled.append((r, kept, by))
            } else {
                out.ambiguous.append(.init(row: r.row, name: r.name ?? "",
                                           candidates: kept.map { Self.describe($0, units: units) },
                                           reason: by.isEmpty ? "nom partagé" : "nom partagé, même après " + by.joined(separator: ", ")))
                for c in kept { if let u = c.unit { doubtful[u, default: []].append(r.row) } }
            }
        }
        // A row whose candidates are one unit's current and former codes is that former part when the table holds
        // another former part of the unit (the table is then in the former geography), else the current unit.
        var formerRowsByUnit: [String: Int] = [:]
        for s in settled where s.choices.count == 1 && s.choices[0].former { formerRowsByUnit[s.choices[0].unit ?? "", default: 0] += 1 }
        var chosen: [(row: IndicatorTable.Row, candidate: Candidate, by: [String])] = []
        for s in settled {
            if s.choices.count == 1 { chosen.append((s.row, s.choices[0], s.by)); continue }
            let unit = s.choices[0].unit ?? ""
            let formerChoice = s.choices.first { $0.former }
            let current = s.choices.first { !$0.former && $0.code == unit }
            if let f = formerChoice, formerRowsByUnit[unit, default: 0] > 0 || current == nil {
                chosen.append((s.row, f, s.by))
            } else if let c = current {
                chosen.append((s.row, c, s.by))
            } else {
                out.ambiguous.append(.init(row: s.row.row, name: s.row.name ?? "", candidates: s.choices.map { Self.describe($0, units: units) },
                                           reason: "plusieurs anciens codes possibles"))
                doubtful[unit, default: []].append(s.row.row)
            }
        }
        // Exactly one row per code, and no doubtful row for the unit: otherwise every row concerned is ambiguous.
        let byCode = Dictionary(grouping: chosen, by: \.candidate.code)
        for c in chosen {
            let sameCode = byCode[c.candidate.code]!
            guard let unit = c.candidate.unit else {
                out.unmatched.append(.init(row: c.row.row, code: "", name: c.row.name))   // a Quebec entity outside the store
                continue
            }
            if sameCode.count > 1 || doubtful[unit] != nil {
                let others = (sameCode.map(\.row.row) + (doubtful[unit] ?? [])).filter { $0 != c.row.row }.sorted()
                out.ambiguous.append(.init(row: c.row.row, name: c.row.name ?? "", candidates: [Self.describe(c.candidate, units: units)],
                                           reason: "autre(s) ligne(s) possible(s) pour ce territoire : " + others.map { "ligne \($0)" }.joined(separator: ", ")))
                out.ambiguousUnits[unit, default: []].append(c.row.row)
                continue
            }
            var row = c.row
            row.code = c.candidate.code
            out.rows.append(row)
            out.how[row.row] = c.candidate.former ? "ancien_nom" : (["nom"] + c.by).joined(separator: "+")
        }
        for (unit, rows) in doubtful { out.ambiguousUnits[unit, default: []] += rows }
        out.ambiguousUnits = out.ambiguousUnits.mapValues { Array(Set($0)).sorted() }
        out.ambiguous.sort { $0.row < $1.row }
        out.unmatched.sort { $0.row < $1.row }
        out.rows.sort { $0.row < $1.row }
        return out
    }

    static func describe(_ c: Candidate, units: [TerritorialUnit]) -> String {
        let name = units.first { $0.code == c.unit }?.name ?? c.name
        var s = c.code
        if !name.isEmpty { s += " \(name)" }
        var parts: [String] = []
        if let d = c.designation { parts.append(d) }
        if let m = c.mrcName ?? c.mrcCode { parts.append("MRC \(m)") }
        if c.unit == nil { parts.append("hors du magasin") }
        if c.former, let u = c.unit { parts.append("ancien code de \(u)") }
        return parts.isEmpty ? s : s + " (" + parts.joined(separator: ", ") + ")"
    }
}

/// A municipality's name as tables write it, reduced to what identifies it: the key (case, accents, hyphens,
/// apostrophes and spacing ignored, « St-/Ste- » read as « Saint-/Sainte- », footnote numbers and markers
/// dropped), and what the name itself says of the designation (", Municipalité (MÉ)", "(TNO)") or of a part.
public struct MunicipalName: Sendable, Hashable {
    public var key: String
    /// The SDA designation the name carries, if any.
    public var designation: String?
    /// « (partie) »: the row is a part of a territory.
    public var partial: Bool

    public init(_ raw: String) {
        var s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        s = s.replacingOccurrences(of: "’", with: "'").replacingOccurrences(of: "‘", with: "'").replacingOccurrences(of: "`", with: "'")
        var designation: String?
        var partial = false
        // Footnote numbers and markers at the end ("Rimouski 4", "Saint-Damase ³", "Lac-Huron*"), and parenthesised
        // designations or markers ("(TNO)", "(partie)", "(MÉ)"), peeled off from the right.
        var changed = true
        while changed {
            changed = false
            let t = s.trimmingSpaces()
            if let last = t.last, "*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰".contains(last) {
                s = String(t.dropLast()); changed = true; continue
            }
            if let space = t.lastIndex(of: " "), t[t.index(after: space)...].allSatisfy(\.isNumber), t.index(after: space) < t.endIndex {
                s = String(t[..<space]); changed = true; continue
            }
            if t.hasSuffix(")"), let open = t.lastIndex(of: "(") {
                let inner = String(t[t.index(after: open)..<t.index(before: t.endIndex)])
                let k = Names.key(inner)
                if k == "partie" || k == "part" { partial = true; s = String(t[..<open]); changed = true; continue }
                if !inner.isEmpty, inner.allSatisfy(\.isNumber) { s = String(t[..<open]); changed = true; continue }
                if let d = Designation.parse(inner) { designation = designation ?? d; s = String(t[..<open]); changed = true; continue }
            }
            s = t
        }
        // "Sainte-Marguerite-Marie, Municipalité": the name before the comma, the designation after it.
        if let comma = s.firstIndex(of: ",") {
            let rest = String(s[s.index(after: comma)...])
            designation = designation ?? Designation.parse(rest)
            s = String(s[..<comma])
        }
        let words = Names.key(s).split(separator: "_").map { w -> String in
            switch w {
            case "st": "saint"
            case "ste": "sainte"
            case "sts": "saints"
            case "stes": "saintes"
            default: String(w)
            }
        }
        key = words.joined(separator: "_")
        self.designation = designation
        self.partial = partial
    }
}

extension QuebecHomonyms {
    struct Entity: Sendable, Hashable {
        var code: String
        var name: String
        var designation: String?
        var mrcCode: String?
        var regionCode: String?
        var area: Double?
    }

    static let parsed: [Entity] = entities.split(separator: "\n").map { line in
        let f = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        func opt(_ s: String) -> String? { s.isEmpty ? nil : s }
        return Entity(code: f[0], name: f[1], designation: opt(f[2]), mrcCode: opt(f[3]), regionCode: opt(f[4]), area: Double(f[5]))
    }

    static let mrcs: [String: String] = pairs(mrcNames)
    static let regions: [String: String] = pairs(regionNames)

    static func pairs(_ text: String) -> [String: String] {
        Dictionary(text.split(separator: "\n").map { line -> (String, String) in
            let f = line.split(separator: ";", maxSplits: 1).map(String.init)
            return (f[0], f.count > 1 ? f[1] : "")
        }) { a, _ in a }
    }
}
