import Foundation
import PortraitGeometry
import PortraitStore

/// The Portrait store: one GeoPackage with the layers `regions`, `mrc`,
/// `municipalities`, `coastline` and the attribute table `imports`.
/// Not Sendable (it owns a SQLite connection): open one per task or request.
public final class TerritoryStore {
    public let package: GeoPackage
    var db: SQLiteDatabase { package.db }
    public var path: String { package.path }

    /// Default location, relative to the working directory.
    public static let defaultPath = "geodata/portrait.gpkg"
    /// Environment variable that overrides the default location.
    public static let environmentVariable = "PORTRAIT_STORE"

    /// `explicit` (from `--store`), else `$PORTRAIT_STORE`, else `geodata/portrait.gpkg`.
    public static func resolvePath(_ explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = ProcessInfo.processInfo.environment[environmentVariable], !env.isEmpty { return env }
        return defaultPath
    }

    public static func exists(at path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// Opens an existing store (read-only unless `writable`).
    public init(openExisting path: String, writable: Bool = false) throws {
        package = try GeoPackage(path: path, create: false, readOnly: !writable)
    }

    /// Opens a store for writing, creating the file and its schema if needed.
    public init(openOrCreate path: String) throws {
        package = try GeoPackage(path: path, create: true)
        try db.transaction { try ensureSchema() }
    }

    static let unitColumns: [Level: [(name: String, type: String)]] = [
        .region: [("code", "TEXT NOT NULL UNIQUE"), ("name", "TEXT NOT NULL"), ("area_km2", "REAL"),
                  ("class", "TEXT"), ("import_id", "INTEGER")],
        .mrc: [("code", "TEXT NOT NULL UNIQUE"), ("name", "TEXT NOT NULL"), ("region_code", "TEXT"),
               ("area_km2", "REAL"), ("class", "TEXT"), ("import_id", "INTEGER")],
        .municipality: [("code", "TEXT NOT NULL UNIQUE"), ("name", "TEXT NOT NULL"), ("designation", "TEXT"),
                        ("mrc_code", "TEXT"), ("region_code", "TEXT"), ("area_km2", "REAL"), ("class", "TEXT"),
                        ("aquatic", "INTEGER NOT NULL DEFAULT 0"), ("import_id", "INTEGER")],
    ]

    /// Creates whatever layer is missing. Idempotent.
    func ensureSchema() throws {
        for level in Level.allCases where try !db.tableExists(level.table) {
            try package.createFeatureTable(level.table, geometryType: "MULTIPOLYGON", columns: Self.unitColumns[level]!,
                                           identifier: level.table, description: "Portrait : \(level.labelFR)")
        }
        if try !db.tableExists("coastline") {
            try package.createFeatureTable("coastline", geometryType: "MULTILINESTRING",
                                           columns: [("source", "TEXT"), ("import_id", "INTEGER")],
                                           identifier: "coastline", description: "Portrait : trait de côte")
        }
        if try !db.tableExists("services") {
            try package.createFeatureTable("services", geometryType: "POINT", columns: [
                ("category", "TEXT NOT NULL"), ("name", "TEXT NOT NULL"), ("address", "TEXT"), ("municipality_code", "TEXT"),
                ("capacity", "REAL"), ("source", "TEXT"), ("vintage", "INTEGER"), ("import_id", "INTEGER"),
            ], identifier: "services", description: "Portrait : services (écoles, CLSC, …)")
        }
        if try !db.tableExists("places") {
            try package.createFeatureTable("places", geometryType: "POINT", columns: [
                ("name", "TEXT NOT NULL"), ("municipality_code", "TEXT"), ("source", "TEXT"), ("import_id", "INTEGER"),
            ], identifier: "places", description: "Portrait : lieux habités (points de population)")
        }
        if try !db.tableExists("mobilisations") {
            try package.createAttributeTable("mobilisations", columns: [
                ("mobilisation_id", "TEXT NOT NULL UNIQUE"), ("name", "TEXT NOT NULL"), ("acronym", "TEXT"), ("scale", "TEXT"),
                ("territory_type", "TEXT NOT NULL"), ("territory_code", "TEXT NOT NULL"), ("region_code", "TEXT"),
                ("start_year", "INTEGER"), ("end_year", "INTEGER"), ("leadership", "TEXT"), ("enjeux", "TEXT"),
                ("budget_cad", "REAL"), ("source", "TEXT"), ("import_id", "INTEGER"),
            ], description: "Portrait : mobilisations (tables et démarches de concertation)")
            try package.createAttributeTable("mobilisation_targets", columns: [
                ("mobilisation_id", "TEXT NOT NULL"), ("axis", "TEXT"), ("indicator", "TEXT"), ("target", "REAL"),
                ("unit", "TEXT"), ("deadline", "INTEGER"), ("source", "TEXT"), ("import_id", "INTEGER"),
            ], description: "Portrait : cibles des mobilisations")
        }
        if try !db.tableExists("indicators") {
            try package.createAttributeTable("indicators", columns: [
                ("name", "TEXT NOT NULL UNIQUE"), ("kind", "TEXT NOT NULL"), ("unit", "TEXT"), ("label_fr", "TEXT"),
                ("label_en", "TEXT"), ("definition", "TEXT"),
            ], description: "Portrait : indicateurs connus")
            try package.createAttributeTable("indicator_values", columns: [
                ("territory_code", "TEXT NOT NULL"), ("level", "TEXT NOT NULL"), ("indicator", "TEXT NOT NULL"),
                ("vintage", "INTEGER NOT NULL"), ("value", "REAL"), ("status", "TEXT NOT NULL"), ("unit", "TEXT"),
                ("source", "TEXT"), ("import_id", "INTEGER"),
            ], description: "Portrait : valeurs des indicateurs, en format long")
            try db.execute("CREATE UNIQUE INDEX indicator_values_key ON indicator_values (level, territory_code, indicator, vintage)")
            try package.createAttributeTable("join_reports", columns: [("import_id", "INTEGER NOT NULL"), ("report", "TEXT NOT NULL")],
                                             description: "Portrait : rapports de jointure des importations d'indicateurs")
        }
        if try !db.tableExists("imports") {
            try package.createAttributeTable("imports", columns: [
                ("kind", "TEXT NOT NULL"), ("level", "TEXT"), ("source_file", "TEXT"), ("sha256", "TEXT"),
                ("imported_at", "TEXT NOT NULL"), ("features_read", "INTEGER"), ("units", "INTEGER"),
                ("inserted", "INTEGER"), ("replaced", "INTEGER"), ("repaired", "INTEGER"), ("dissolved", "INTEGER"),
                ("warnings", "TEXT"), ("parameters", "TEXT"),
            ], description: "Portrait : journal des importations")
        }
    }

    // MARK: Transactions

    /// Opens (or creates) the store at `path` and runs `body` in one
    /// transaction. On failure nothing lands, and a store file this call
    /// created is removed, so a failed first import leaves no file behind.
    public static func writing<R>(to path: String, _ body: (TerritoryStore) throws -> R) throws -> R {
        let created = !exists(at: path)
        do {
            let store = try TerritoryStore(openOrCreate: path)
            return try store.transaction { try body(store) }
        } catch {
            if created { try? FileManager.default.removeItem(atPath: path) }
            throw error
        }
    }

    /// Runs `body` in one transaction: all of it lands, or none.
    public func transaction<R>(_ body: () throws -> R) throws -> R { try db.transaction(body) }

    // MARK: Units

    /// Inserts or replaces (by code) one unit; returns true when it replaced one.
    @discardableResult
    func upsert(_ u: TerritorialUnit, importID: Int64) throws -> Bool {
        let t = u.level.table
        try db.run("DELETE FROM \"\(t)\" WHERE code = ?", [.text(u.code)])
        let replaced = db.changes > 0
        let geom = GeoPackage.blob(.multiPolygon(u.geometry))
        switch u.level {
        case .region:
            try db.run("INSERT INTO regions (geom, code, name, area_km2, class, import_id) VALUES (?,?,?,?,?,?)",
                       [geom, .text(u.code), .text(u.name), .double(u.areaKm2), .optional(u.coastClass?.rawValue), .int(importID)])
        case .mrc:
            try db.run("INSERT INTO mrc (geom, code, name, region_code, area_km2, class, import_id) VALUES (?,?,?,?,?,?,?)",
                       [geom, .text(u.code), .text(u.name), .optional(u.regionCode), .double(u.areaKm2),
                        .optional(u.coastClass?.rawValue), .int(importID)])
        case .municipality:
            try db.run("""
                INSERT INTO municipalities (geom, code, name, designation, mrc_code, region_code, area_km2, class, aquatic, import_id)
                VALUES (?,?,?,?,?,?,?,?,?,?)
                """, [geom, .text(u.code), .text(u.name), .optional(u.designation), .optional(u.mrcCode),
                      .optional(u.regionCode), .double(u.areaKm2), .optional(u.coastClass?.rawValue),
                      .int(u.isAquatic ? 1 : 0), .int(importID)])
        }
        return replaced
    }

    /// Every unit of a level, ordered by code; `withGeometry: false` skips decoding geometries.
    public func units(_ level: Level, withGeometry: Bool = true, where clause: String? = nil,
                      _ bindings: [SQLValue] = []) throws -> [TerritorialUnit] {
        guard try db.tableExists(level.table) else { return [] }
        let cols: String = switch level {
        case .region: "code, name, NULL, NULL, NULL, area_km2, class"
        case .mrc: "code, name, NULL, NULL, region_code, area_km2, class"
        case .municipality: "code, name, designation, mrc_code, region_code, area_km2, class"
        }
        let geom = withGeometry ? "geom" : "NULL"
        let sql = "SELECT \(cols), \(geom) FROM \"\(level.table)\"" + (clause.map { " WHERE \($0)" } ?? "") + " ORDER BY code"
        return try db.query(sql, bindings).map { r in
            let g = try GeoPackage.geometry(r[7])
            return TerritorialUnit(level: level, code: r[0].text ?? "", name: r[1].text ?? "", designation: r[2].text,
                                   mrcCode: r[3].text, regionCode: r[4].text, areaKm2: r[5].double ?? 0,
                                   coastClass: r[6].text.flatMap(CoastClass.init(rawValue:)),
                                   geometry: g?.asMultiPolygon ?? MultiPolygon([]))
        }
    }

    public func unit(_ level: Level, code: String) throws -> TerritorialUnit? {
        try units(level, where: "code = ?", [.text(code)]).first
    }

    public func count(_ level: Level) throws -> Int {
        guard try db.tableExists(level.table) else { return 0 }
        return try db.scalar("SELECT count(*) FROM \"\(level.table)\"")?.int ?? 0
    }

    func setParents(_ level: Level, code: String, mrc: String?, region: String?) throws {
        switch level {
        case .municipality:
            try db.run("UPDATE municipalities SET mrc_code = coalesce(mrc_code, ?), region_code = coalesce(region_code, ?) WHERE code = ?",
                       [.optional(mrc), .optional(region), .text(code)])
        case .mrc:
            try db.run("UPDATE mrc SET region_code = coalesce(region_code, ?) WHERE code = ?", [.optional(region), .text(code)])
        case .region: break
        }
    }

    func setCoastClass(_ level: Level, code: String, _ c: CoastClass) throws {
        try db.run("UPDATE \"\(level.table)\" SET class = ? WHERE code = ?", [.text(c.rawValue), .text(code)])
    }

    // MARK: Coastline

    /// Replaces the whole coastline layer.
    func replaceCoastline(_ lines: [LineString], source: String, importID: Int64) throws {
        try db.run("DELETE FROM coastline")
        let st = try db.prepare("INSERT INTO coastline (geom, source, import_id) VALUES (?,?,?)")
        for l in lines {
            try st.run([GeoPackage.blob(.multiLineString(MultiLineString([l]))), .text(source), .int(importID)])
        }
    }

    /// The coastline's lines, in WGS84.
    public func coastline() throws -> [LineString] {
        guard try db.tableExists("coastline") else { return [] }
        return try db.query("SELECT geom FROM coastline ORDER BY fid").compactMap { try GeoPackage.geometry($0[0])?.lineStrings }.flatMap { $0 }
    }

    public func coastlineCount() throws -> Int {
        guard try db.tableExists("coastline") else { return 0 }
        return try db.scalar("SELECT count(*) FROM coastline")?.int ?? 0
    }

    func refreshExtents() throws {
        for t in Level.allCases.map(\.table) + ["coastline"] { try package.refreshContents(t) }
    }

    // MARK: Imports log

    /// True when the store holds the fictional demo territory (its imports are marked `demo`).
    public func isDemo() throws -> Bool {
        guard try db.tableExists("imports") else { return false }
        return try db.scalar("SELECT count(*) FROM imports WHERE parameters LIKE '%\"demo\":\"true\"%'")?.int ?? 0 > 0
    }

    /// Starts an entry in the imports log; returns its id.
    func logImport(_ r: ImportLogEntry) throws -> Int64 {
        try db.run("""
            INSERT INTO imports (kind, level, source_file, sha256, imported_at, features_read, units, inserted, replaced,
                                 repaired, dissolved, warnings, parameters) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
            """, [.text(r.kind), .optional(r.level), .optional(r.sourceFile), .optional(r.sha256), .text(r.importedAt),
                  .int(Int64(r.featuresRead)), .int(Int64(r.units)), .int(Int64(r.inserted)), .int(Int64(r.replaced)),
                  .int(Int64(r.repaired)), .int(Int64(r.dissolved)), .text(JSONText.array(r.warnings)),
                  .text(JSONText.object(r.parameters))])
        return db.lastInsertRowID
    }

    func updateImport(_ id: Int64, _ r: ImportLogEntry) throws {
        try db.run("""
            UPDATE imports SET features_read = ?, units = ?, inserted = ?, replaced = ?, repaired = ?, dissolved = ?,
                               warnings = ?, parameters = ? WHERE id = ?
            """, [.int(Int64(r.featuresRead)), .int(Int64(r.units)), .int(Int64(r.inserted)), .int(Int64(r.replaced)),
                  .int(Int64(r.repaired)), .int(Int64(r.dissolved)), .text(JSONText.array(r.warnings)),
                  .text(JSONText.object(r.parameters)), .int(id)])
    }

    /// The most recent entries of the imports log, newest first.
    public func imports(limit: Int = 10) throws -> [ImportLogEntry] {
        guard try db.tableExists("imports") else { return [] }
        return try db.query("""
            SELECT id, kind, level, source_file, sha256, imported_at, features_read, units, inserted, replaced,
                   repaired, dissolved, warnings, parameters FROM imports ORDER BY id DESC LIMIT ?
            """, [.int(Int64(limit))]).map { r in
            ImportLogEntry(id: Int64(r[0].int ?? 0), kind: r[1].text ?? "", level: r[2].text, sourceFile: r[3].text,
                           sha256: r[4].text, importedAt: r[5].text ?? "", featuresRead: r[6].int ?? 0, units: r[7].int ?? 0,
                           inserted: r[8].int ?? 0, replaced: r[9].int ?? 0, repaired: r[10].int ?? 0,
                           dissolved: r[11].int ?? 0, warnings: JSONText.parseArray(r[12].text ?? "[]"),
                           parameters: JSONText.parseObject(r[13].text ?? "{}"))
        }
    }
}

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

/// Small JSON helpers for the text columns of the imports log.
enum JSONText {
    static func array(_ a: [String]) -> String {
        (try? String(decoding: JSONEncoder.sorted.encode(a), as: UTF8.self)) ?? "[]"
    }
    static func object(_ o: [String: String]) -> String {
        (try? String(decoding: JSONEncoder.sorted.encode(o), as: UTF8.self)) ?? "{}"
    }
    static func parseArray(_ s: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(s.utf8))) ?? []
    }
    static func parseObject(_ s: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(s.utf8))) ?? [:]
    }
}

extension JSONEncoder {
    /// Sorted keys, no escaped slashes: stable output.
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
