/// A region or an MRC: the territory a portrait, a map, a gap analysis or an
/// export is made for. Parsed and validated once, at the edge (a CLI option,
/// an HTTP path or query), then passed down as it is: its code is normalised
/// ("1" → "01", "7" → "07") and its level is never the municipality.
public struct Territory: Hashable, Sendable, Codable, CustomStringConvertible {
    public let level: Level
    /// The normalised code.
    public let code: String

    /// Validates the level and normalises the code; a `TerritoryError` (invalid input) otherwise.
    public init(_ level: Level, code raw: String) throws(TerritoryError) {
        guard level != .municipality else {
            throw .invalid("un portrait, une carte ou une analyse se fait pour une région (--region) ou une MRC (--mrc), pas pour une municipalité")
        }
        do { code = try Codes.normalise(raw, level: level) } catch {
            throw .invalid("code « \(raw) » invalide pour \(level == .region ? "une région (2 chiffres, ex. 01)" : "une MRC (2 ou 3 chiffres, ex. 10)")")
        }
        self.level = level
    }

    public static func region(_ raw: String) throws(TerritoryError) -> Territory { try Territory(.region, code: raw) }
    public static func mrc(_ raw: String) throws(TerritoryError) -> Territory { try Territory(.mrc, code: raw) }

    /// "région 01" or "MRC 10", for messages.
    public var description: String { "\(level == .region ? "région" : "MRC") \(code)" }

    /// The name used when the territory's own layer is not imported: "Région 01", "MRC 10".
    public var fallbackName: String { level == .region ? "Région \(code)" : "MRC \(code)" }

    /// True when `unit` (a municipality) belongs to this territory.
    public func contains(_ unit: TerritorialUnit) -> Bool {
        switch level {
        case .region: unit.regionCode == code
        case .mrc: unit.mrcCode == code
        case .municipality: unit.code == code
        }
    }
}
