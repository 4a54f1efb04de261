import Foundation

/// One row of the imports log.
public struct ImportLogEntry: Codable, Hashable, Sendable {
    public var id: Int64?
    /// "boundaries", "coastline", "classify-coast", …
    public var kind: String
    public var level: String?
    public var sourceFile: String?
    public var sha256: String?
    /// ISO 8601, UTC.
    public var importedAt: String
    public var featuresRead: Int
    public var units: Int
    public var inserted: Int
    public var replaced: Int
    public var repaired: Int
    public var dissolved: Int
    public var warnings: [String]
    public var parameters: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, kind, level, sourceFile = "source_file", sha256, importedAt = "imported_at",
             featuresRead = "features_read", units, inserted, replaced, repaired, dissolved, warnings, parameters
    }

    public init(id: Int64? = nil, kind: String, level: String? = nil, sourceFile: String? = nil, sha256: String? = nil,
                importedAt: String = ImportLogEntry.now(), featuresRead: Int = 0, units: Int = 0, inserted: Int = 0,
                replaced: Int = 0, repaired: Int = 0, dissolved: Int = 0, warnings: [String] = [],
                parameters: [String: String] = [:]) {
        self.id = id; self.kind = kind; self.level = level; self.sourceFile = sourceFile; self.sha256 = sha256
        self.importedAt = importedAt; self.featuresRead = featuresRead; self.units = units; self.inserted = inserted
        self.replaced = replaced; self.repaired = repaired; self.dissolved = dissolved; self.warnings = warnings
        self.parameters = parameters
    }

    public static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}
