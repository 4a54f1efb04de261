import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PortraitGeometry
import PortraitModel

/// The GeoPackage backend of `TerritoryStore`: one GeoPackage 1.3 file with
/// the layers `regions`, `mrc`, `municipalities`, `coastline`, `services`,
/// `places` and the attribute tables of indicators, mobilisations and the
/// imports log. Every SQL statement of Portrait's data lives in this type.
/// Not Sendable (it owns a SQLite connection): open one per task or request.
public final class GeoPackageStore: TerritoryStore {
    let package: GeoPackage
    var db: SQLiteDatabase { package.db }
    public var location: String { package.path }

    /// Opens an existing store (read-only unless `writable`); `StoreError.missing` when there is none.
    public init(openExisting path: String, writable: Bool = false) throws {
        package = try GeoPackage(path: path, create: false, readOnly: !writable)
        if writable { try db.transaction { try ensureSchema() } }
    }

    /// Opens a store for writing, creating the file and its schema if needed.
    public init(openOrCreate path: String) throws {
        package = try GeoPackage(path: path, create: true)
        try db.transaction { try ensureSchema() }
    }

    // MARK: Schema

    /// The table holding each layer.
    static func table(_ layer: StoreLayer) -> String {
        switch layer {
        case .regions: "regions"
        case .mrc: "mrc"
        case .municipalities: "municipalities"
        case .coastline: "coastline"
        case .services: "services"
        case .places: "places"
        }
    }

    static func table(_ level: Level) -> String { table(StoreLayer.of(level)) }

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
        for level in Level.allCases where try !db.tableExists(Self.table(level)) {
            try package.createFeatureTable(Self.table(level), geometryType: "MULTIPOLYGON", columns: Self.unitColumns[level]!,
                                           identifier: Self.table(level), description: "Portrait : \(level.labelFR)")
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

    // MARK: Transactions and state

    public func transaction<R>(_ body: () throws -> R) throws -> R { try db.transaction(body) }

    /// SQLite's file change counter and the file's identity (`fileStamp`): one header read, not a query.
    public func changeStamp() throws -> String { try Self.fileStamp(location) }

    /// SQLite's file change counter (header bytes 24–27, big-endian; the database is in rollback-journal
    /// mode, where every commit increments it) with the file's device and inode.
    static func fileStamp(_ location: String) throws -> String {
        let fd = Glibc.open(location, O_RDONLY)
        guard fd >= 0 else { throw StoreError.missing(location) }
        defer { close(fd) }
        var st = stat()
        var header = [UInt8](repeating: 0, count: 28)
        guard fstat(fd, &st) == 0 else { throw StoreError.missing(location) }
        // A file too short to be a database (being created): its size stands in for the counter.
        guard pread(fd, &header, 28, 0) == 28 else { return "\(st.st_dev):\(st.st_ino)#size\(st.st_size)" }
        let counter = header[24..<28].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return "\(st.st_dev):\(st.st_ino)#\(counter)"
    }
}

/// Small JSON helpers for the text columns of the imports log.
enum JSONText {
    static func array(_ a: [String]) -> String {
        (try? String(decoding: JSONEncoder.stable.encode(a), as: UTF8.self)) ?? "[]"
    }
    static func object(_ o: [String: String]) -> String {
        (try? String(decoding: JSONEncoder.stable.encode(o), as: UTF8.self)) ?? "{}"
    }
    static func parseArray(_ s: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(s.utf8))) ?? []
    }
    static func parseObject(_ s: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(s.utf8))) ?? [:]
    }
}
