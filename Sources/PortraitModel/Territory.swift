import Foundation

/// The territory a portrait, a map, a gap analysis or an export is made for:
/// a region, an MRC, a municipality, the whole store, or a custom territory
/// (a named set of municipalities stored by `import territories`, or given
/// inline with `--codes`). Parsed and validated once, at the edge (a CLI option,
/// an HTTP path or query), then passed down as it is: its code is normalised
/// ("1" → "01", "7005" → "07005").
public struct Territory: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case region, mrc, municipality
        /// Every municipality of the store.
        case all
        /// A named set of municipalities.
        case custom
    }

    public let kind: Kind
    /// The normalised code of a region, MRC or municipality; `all` for the whole store;
    /// a custom territory's identifier (`Territory.identifier`), or `codes` for an inline list.
    public let code: String
    /// The municipal codes of an inline custom territory (`--codes`), normalised, sorted, distinct;
    /// nil otherwise (a stored custom territory's members are the store's).
    public let codes: [String]?

    /// The level of a region, MRC or municipality; nil for the whole store and custom territories.
    public var level: Level? { Level(rawValue: kind.rawValue) }

    /// Validates the level and normalises the code; a `TerritoryError` (invalid input) otherwise.
    public init(_ level: Level, code raw: String) throws(TerritoryError) {
        do { code = try Codes.normalise(raw, level: level) } catch {
            throw .invalid("code « \(raw) » invalide pour \(Self.expected(level))")
        }
        kind = Kind(rawValue: level.rawValue)!
        codes = nil
    }

    private init(kind: Kind, code: String, codes: [String]?) { self.kind = kind; self.code = code; self.codes = codes }

    static func expected(_ level: Level) -> String {
        switch level {
        case .region: "une région (2 chiffres, ex. 01)"
        case .mrc: "une MRC (2 ou 3 chiffres, ex. 10)"
        case .municipality: "une municipalité (code géographique à 5 chiffres, ex. 10070)"
        }
    }

    public static func region(_ raw: String) throws(TerritoryError) -> Territory { try Territory(.region, code: raw) }
    public static func mrc(_ raw: String) throws(TerritoryError) -> Territory { try Territory(.mrc, code: raw) }
    public static func municipality(_ raw: String) throws(TerritoryError) -> Territory { try Territory(.municipality, code: raw) }
    /// The whole store.
    public static let all = Territory(kind: .all, code: "all", codes: nil)

    /// A custom territory stored under `name` (its identifier or its name, compared by `identifier`).
    public static func custom(_ name: String) throws(TerritoryError) -> Territory {
        let id = identifier(name)
        guard !id.isEmpty else { throw .invalid("territoire personnalisé : nom vide") }
        return Territory(kind: .custom, code: id, codes: nil)
    }

    /// An inline custom territory: municipal codes separated by commas, semicolons or spaces.
    /// Every code is checked; the invalid ones are all named. Duplicates are kept once.
    public static func codes(_ raw: String) throws(TerritoryError) -> Territory {
        let parts = raw.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " || $0 == "|" }).map(String.init)
        guard !parts.isEmpty else { throw .invalid("--codes : aucun code municipal (ex. --codes 10070,10060)") }
        var good: Set<String> = [], bad: [String] = []
        for p in parts {
            if let c = try? Codes.municipal(p) { good.insert(c) } else { bad.append(p) }
        }
        guard bad.isEmpty else {
            throw .invalid("--codes : code(s) municipal(aux) invalide(s) : \(bad.map { "« \($0) »" }.joined(separator: ", ")) (5 chiffres, ex. 10070)")
        }
        return Territory(kind: .custom, code: "codes", codes: good.sorted())
    }

    /// A territory by the name of its kind and its code, as the edges spell them: `region`, `mrc`, `municipality`,
    /// `all` (code ignored), `custom` or `territory` (a stored one, by name or identifier), `codes` (an inline list).
    public init(kind raw: String, code: String) throws(TerritoryError) {
        switch raw {
        case "region", "mrc", "municipality": self = try Territory(Level(rawValue: raw)!, code: code)
        case "all": self = .all
        case "custom", "territory": self = try .custom(code)
        case "codes": self = try .codes(code)
        default: throw .invalid("territoire de type « \(raw) » inconnu : region, mrc, municipality, all, custom ou codes")
        }
    }

    /// A reference written `KIND:CODE` (`mrc:10`, `region:01`, `municipality:10070`, `custom:NOM`, `codes:C1,C2`) or `all`.
    public static func reference(_ raw: String) throws(TerritoryError) -> Territory {
        let parts = raw.split(separator: ":", maxSplits: 1).map(String.init)
        guard let kind = parts.first, kind == "all" || parts.count == 2 else {
            throw .invalid("référence « \(raw) » : mrc:10, region:01, municipality:10070, all, custom:NOM ou codes:C1,C2")
        }
        return try Territory(kind: kind, code: parts.count > 1 ? parts[1] : "")
    }

    /// A custom territory's identifier from its name: lower case, without accents, words joined by `-`
    /// ("Haut-Pays de la Neigette" → "haut-pays-de-la-neigette").
    public static func identifier(_ name: String) -> String {
        Names.key(name).replacingOccurrences(of: "_", with: "-")
    }

    /// "région 01", "MRC 10", "municipalité 10070", "ensemble du magasin", "territoire « x »", for messages.
    public var description: String {
        switch kind {
        case .region: "région \(code)"
        case .mrc: "MRC \(code)"
        case .municipality: "municipalité \(code)"
        case .all: "ensemble du magasin"
        case .custom: codes.map { "territoire des codes \($0.joined(separator: ","))" } ?? "territoire « \(code) »"
        }
    }

    /// The name used when the territory's own layer is not imported: a region's official name ("Bas-Saint-Laurent",
    /// "Région 18" for a code outside the 17), "MRC 10".
    public var fallbackName: String {
        switch kind {
        case .region: Codes.regionNames[code] ?? "Région \(code)"
        case .mrc: "MRC \(code)"
        case .municipality: "Municipalité \(code)"
        case .all: "Ensemble du territoire"
        case .custom: codes.map { "Territoire de \($0.count) municipalité\($0.count > 1 ? "s" : "")" } ?? code
        }
    }

    /// The path segment and file stem: "region-01", "municipality-10070", "all", "custom-cosmoss-est", "codes-10060-10070".
    public var slug: String {
        switch kind {
        case .all: "all"
        case .custom: codes.map { "codes-" + $0.joined(separator: "-") } ?? "custom-\(code)"
        default: "\(kind.rawValue)-\(code)"
        }
    }

    /// The query that names this territory in a URL: `region=01`, `municipality=10070`, `all=1`, `territory=x`, `codes=a,b`.
    public var query: String {
        switch kind {
        case .all: "all=1"
        case .custom: codes.map { "codes=" + $0.joined(separator: ",") } ?? "territory=\(code)"
        default: "\(kind.rawValue)=\(code)"
        }
    }

    /// True when `unit` (a municipality) belongs to this territory. A stored custom territory needs its
    /// members: `contains(_:members:)`.
    public func contains(_ unit: TerritorialUnit) -> Bool { contains(unit, members: codes.map(Set.init)) }

    public func contains(_ unit: TerritorialUnit, members: Set<String>?) -> Bool {
        switch kind {
        case .region: unit.regionCode == code
        case .mrc: unit.mrcCode == code
        case .municipality: unit.code == code
        case .all: true
        case .custom: members?.contains(unit.code) ?? false
        }
    }
}

/// A custom territory as stored: a name and the municipal codes of its members.
public struct CustomTerritory: Hashable, Sendable, Codable {
    /// `Territory.identifier(name)`.
    public var id: String
    public var name: String
    /// Normalised municipal codes, sorted.
    public var codes: [String]
    /// The file it was imported from.
    public var source: String

    public init(name: String, codes: [String], source: String) {
        id = Territory.identifier(name); self.name = name; self.codes = Array(Set(codes)).sorted(); self.source = source
    }
}
