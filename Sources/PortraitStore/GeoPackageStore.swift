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
    /// An import was logged in the current transaction: its derived layers are written before it commits.
    var derivationPending = false
    public var location: String { package.path }

    /// Opens an existing store (read-only unless `writable`); `StoreError.missing` when there is none.
    public init(openExisting path: String, writable: Bool = false) throws {
        package = try GeoPackage(path: path, create: false, readOnly: !writable)
        if writable {
            // Rollback-journal mode, whatever another tool set: the change stamp follows its header counter.
            _ = try? db.execute("PRAGMA journal_mode = DELETE")
            try db.transaction { try ensureSchema() }
        }
    }

    /// Opens a store for writing, creating the file and its schema if needed.
    public init(openOrCreate path: String) throws {
        package = try GeoPackage(path: path, create: true)
        _ = try? db.execute("PRAGMA journal_mode = DELETE")
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
        }
        for t in PlanSQL.tables where try !db.tableExists(t.name) {
            try package.createAttributeTable(t.name, columns: t.columns.map { ($0.0, $0.1) }, description: t.description)
            if t.name == "plan_measurements" {
                try db.execute("CREATE INDEX plan_measurements_key ON plan_measurements (target_id, territory, date)")
            }
        }
        for t in RoadSQL.tables where try !db.tableExists(t.name) {
            try package.createAttributeTable(t.name, columns: t.columns.map { ($0.0, $0.1) }, description: t.description)
        }
        if try !db.tableExists("custom_territories") {
            try package.createAttributeTable("custom_territories", columns: [
                ("territory_id", "TEXT NOT NULL UNIQUE"), ("name", "TEXT NOT NULL"), ("codes", "TEXT NOT NULL"), ("source", "TEXT"),
                ("import_id", "INTEGER"),
            ], description: "Portrait : territoires personnalisés (ensembles de municipalités)")
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

    /// The outermost transaction writes, before it commits, the layers derived from an import it logged
    /// (`ImportWriter.deriving`): once, after every write of the import (its coast classification included).
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        let outermost = !db.inTransaction
        return try db.transaction {
            let r = try body()
            if outermost { try deriveIfPending() }
            return r
        }
    }

    func deriveIfPending() throws {
        guard derivationPending else { return }
        derivationPending = false
        try ImportWriter.derive(self)
    }

    /// SQLite's file change counter and the file's identity (`fileStamp`): one header read, not a query.
    public func changeStamp() throws -> String { try Self.fileStamp(location) }

    /// SQLite's file change counter (header bytes 24–27, big-endian; the database is in rollback-journal
    /// mode, where every commit increments it) with the file's device and inode.
    ///
    /// The header is never read through a descriptor opened and closed for the purpose: closing any descriptor of
    /// a file releases every POSIX lock the process holds on it, SQLite's included, and a reader whose SHARED lock
    /// is silently lost reads pages another process is writing (« database disk image is malformed », seen under
    /// load with imports beside; SQLite's « How To Corrupt An SQLite Database File », §2.2). So the descriptor used
    /// is kept open for the life of the process, one per store file (a new one when the path names another
    /// inode, the old one left open); past `StampFiles.limit` files, the header is read through a SQLite
    /// connection's own file handle, which SQLite closes only when no lock of the process needs it.
    static func fileStamp(_ location: String) throws -> String {
        var st = stat()
        guard stat(location, &st) == 0 else { throw StoreError.missing(location) }
        var header = [UInt8](repeating: 0, count: 28)
        let read: Int
        if let fd = StampFiles.descriptor(location, device: UInt64(st.st_dev), inode: UInt64(st.st_ino)) {
            read = pread(fd, &header, 28, 0)
        } else {
            let db = try SQLiteDatabase(path: location, readOnly: true)
            read = db.readHeader(&header) ? 28 : 0
        }
        // A file too short to be a database (being created): its size stands in for the counter.
        guard read == 28 else { return "\(st.st_dev):\(st.st_ino)#size\(st.st_size)" }
        let counter = header[24..<28].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return "\(st.st_dev):\(st.st_ino)#\(counter)" + walStamp(location)
    }

    /// In WAL mode (a store switched by another tool: Portrait's writers switch it back) commits go to the `-wal`
    /// file and leave the header's counter alone until a checkpoint: the stamp then also carries the WAL's salts
    /// (new at each reset) and length (longer at each commit), so that no answer outlives a commit. Measured
    /// before this: a WAL store under imports served the answers of its first state (`benchmarks/wal.sh`).
    /// SQLite holds no lock on the `-wal` file, so reading it through a descriptor of its own is safe.
    static func walStamp(_ location: String) -> String {
        let wal = location + "-wal"
        var st = stat()
        guard stat(wal, &st) == 0, st.st_size > 0 else { return "" }
        let fd = Glibc.open(wal, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "+wal\(st.st_size)" }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 24)
        let salts = pread(fd, &header, 24, 0) == 24 ? header[16..<24].map { String($0, radix: 16) }.joined() : "?"
        return "+wal\(salts):\(st.st_size)"
    }
}

/// The descriptors `GeoPackageStore.fileStamp` keeps open, by path and inode; never closed (see there).
enum StampFiles {
    static let limit = 256
    private static let open = Protected<(byPath: [String: (device: UInt64, inode: UInt64, fd: Int32)], count: Int)>(([:], 0))

    /// The descriptor for the file now at `path` (device and inode), opened the first time; nil past `limit` files.
    static func descriptor(_ path: String, device: UInt64, inode: UInt64) -> Int32? {
        open.withLock { state in
            if let f = state.byPath[path], f.device == device, f.inode == inode { return f.fd }
            guard state.count < limit else { return nil }
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            // The same inode under the path as was opened? (Replaced between the stat and the open: not kept.)
            var st = stat()
            guard fstat(fd, &st) == 0, UInt64(st.st_dev) == device, UInt64(st.st_ino) == inode else {
                // Replaced between the stat and the open: this descriptor names another file, which SQLite may
                // hold locks on through another path; it is left open (never closed), and counted.
                state.count += 1
                return nil
            }
            state.byPath[path] = (device, inode, fd)
            state.count += 1
            return fd
        }
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
