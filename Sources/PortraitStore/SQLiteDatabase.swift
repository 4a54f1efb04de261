import CSQLite
import Foundation
import PortraitGeometry

/// A SQLite connection (`sqlite3_open_v2`). Not Sendable: one per task.
public final class SQLiteDatabase {
    let handle: OpaquePointer
    public let path: String

    /// Opens (and with `create`, creates) a database file.
    public init(path: String, readOnly: Bool = false, create: Bool = false) throws(StoreError) {
        if readOnly { try Self.recoverInterruptedWrite(path) }
        var db: OpaquePointer?
        var flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if create && !readOnly { flags |= SQLITE_OPEN_CREATE }
        flags |= SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let msg = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(db)
            throw StoreError(path: path, function: "sqlite3_open_v2", message: msg, code: rc)
        }
        handle = db
        self.path = path
        sqlite3_busy_timeout(db, 5000)
        GeoPackageFunctions.register(on: db)
    }

    deinit {
        sqlite3_close_v2(handle)
        deadline?.deallocate()
    }

    /// A write killed before it finished leaves a hot journal (`-journal`, rolled back by the next connection that
    /// may write). A read-only connection cannot roll it back: every read would fail
    /// with `SQLITE_READONLY_ROLLBACK`. So a reader that finds one recovers the store first, on a short read-write
    /// connection that takes the write lock (`BEGIN IMMEDIATE`, which rolls back a hot journal) and leaves at once,
    /// when the file and its folder are writable; when they are not, the read fails with a message saying what
    /// happened and what to do (`StoreError.hint`). A journal left by a writer still at work is never touched:
    /// the write lock waits for it (busy timeout), and rolls back only what was abandoned.
    static func recoverInterruptedWrite(_ path: String) throws(StoreError) {
        // Only a hot rollback journal: an unfinished WAL is replayed by SQLite itself for any reader that can write
        // the `-shm`, and a live WAL is not unfinished (checking it here would take the write lock at every open).
        guard isHotJournal(path + "-journal") else { return }
        let folder = (path as NSString).deletingLastPathComponent
        guard access(path, W_OK) == 0, access(folder.isEmpty ? "." : folder, W_OK) == 0 else { return }
        var db: OpaquePointer?
        defer { sqlite3_close_v2(db) }
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let db else { return }
        sqlite3_busy_timeout(db, 5000)
        let rc = sqlite3_exec(db, "BEGIN IMMEDIATE; ROLLBACK;", nil, nil, nil)
        if rc != SQLITE_OK && rc & 0xFF != SQLITE_BUSY {
            throw StoreError(path: path, function: "sqlite3_exec", message: String(cString: sqlite3_errmsg(db)), sql: "BEGIN IMMEDIATE",
                             code: sqlite3_extended_errcode(db))
        }
    }

    /// A rollback journal whose header carries SQLite's magic number: pages of the store may have been written
    /// since it began, so it must be rolled back. (A journal whose header is still zero was abandoned before the
    /// store itself was touched; SQLite ignores it and overwrites it at the next write.)
    public static func isHotJournal(_ journal: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: journal) else { return false }
        defer { try? h.close() }
        return (try? h.read(upToCount: 8)).map { [UInt8]($0) } == [0xD9, 0xD5, 0x05, 0xF9, 0x20, 0xA1, 0x63, 0xD7]
    }

    /// The first `buffer.count` bytes of the database file, read through SQLite's own file handle
    /// (`portrait_sqlite_read_header`); false when they cannot be read.
    func readHeader(_ buffer: inout [UInt8]) -> Bool {
        let n = Int32(buffer.count)
        return buffer.withUnsafeMutableBufferPointer { portrait_sqlite_read_header(handle, $0.baseAddress, n) } == SQLITE_OK
    }

    /// When statements of this connection must stop (`limitTime`), in `DispatchTime` nanoseconds.
    private var deadline: UnsafeMutablePointer<UInt64>?

    /// From now on, any statement of this connection still running `seconds` from now is interrupted
    /// (`sqlite3_progress_handler`: checked every 1,000 virtual-machine steps) and fails with `SQLITE_INTERRUPT`.
    /// For SQL that comes with a user's file.
    public func limitTime(to seconds: Double) {
        let p = deadline ?? UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        p.pointee = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, seconds) * 1e9)
        deadline = p
        sqlite3_progress_handler(handle, 1000, { context in
            guard let context else { return 0 }
            return DispatchTime.now().uptimeNanoseconds > context.assumingMemoryBound(to: UInt64.self).pointee ? 1 : 0
        }, p)
    }

    func error(_ function: String, sql: String? = nil) -> StoreError {
        StoreError(path: path, function: function, message: String(cString: sqlite3_errmsg(handle)), sql: sql,
                   code: sqlite3_extended_errcode(handle))
    }

    /// Runs one or more statements without results (`sqlite3_exec`).
    public func execute(_ sql: String) throws(StoreError) {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? "erreur"
            sqlite3_free(err)
            throw StoreError(path: path, function: "sqlite3_exec", message: msg, sql: sql, code: sqlite3_extended_errcode(handle))
        }
    }

    /// Prepares a statement (`sqlite3_prepare_v2`).
    public func prepare(_ sql: String) throws(StoreError) -> Statement {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw error("sqlite3_prepare_v2", sql: sql)
        }
        return Statement(db: self, stmt: stmt, sql: sql)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`; any error rolls everything back.
    /// Runs `body` in a transaction; inside another one, in a savepoint of it (an import that refreshes
    /// derived state commits both or neither).
    /// True inside a transaction (SQLite's autocommit off).
    public var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    public func transaction<R>(_ body: () throws -> R) throws -> R {
        if sqlite3_get_autocommit(handle) == 0 {
            try execute("SAVEPOINT portrait_nested")
            do {
                let r = try body()
                try execute("RELEASE portrait_nested")
                return r
            } catch {
                try? execute("ROLLBACK TO portrait_nested")
                try? execute("RELEASE portrait_nested")
                throw error
            }
        }
        try execute("BEGIN IMMEDIATE")
        do {
            let r = try body()
            try execute("COMMIT")
            return r
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Rows of a query, each as column values.
    public func query(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> [[SQLValue]] {
        let st = try prepare(sql)
        try st.bind(bindings)
        var rows: [[SQLValue]] = []
        while try st.step() { rows.append((0..<st.columnCount).map { st.value($0) }) }
        return rows
    }

    /// One value of the first row, or nil.
    public func scalar(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> SQLValue? {
        try query(sql, bindings).first?.first
    }

    public func run(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) {
        let st = try prepare(sql)
        try st.bind(bindings)
        while try st.step() {}
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }

    public func tableExists(_ name: String) throws(StoreError) -> Bool {
        try scalar("SELECT count(*) FROM sqlite_master WHERE type IN ('table','view') AND name = ?", [.text(name)])?.int == 1
    }

    public func columns(of table: String) throws(StoreError) -> [String] {
        try query("SELECT name FROM pragma_table_info(?)", [.text(table)]).compactMap { $0.first?.text }
    }
}

/// A value going into or out of SQLite.
public enum SQLValue: Hashable, Sendable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])

    public var int: Int? {
        switch self {
        case .int(let i): Int(i)
        case .double(let d): Int(d)
        case .text(let s): Int(s)
        default: nil
        }
    }
    public var double: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        case .text(let s): Double(s)
        default: nil
        }
    }
    public var text: String? {
        switch self {
        case .text(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        default: nil
        }
    }
    public var blob: [UInt8]? {
        if case .blob(let b) = self { return b }
        return nil
    }
    public var isNull: Bool { self == .null }

    public static func optional(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
    public static func optional(_ d: Double?) -> SQLValue { d.map { .double($0) } ?? .null }
}

/// A prepared statement (`sqlite3_stmt`), finalised on deinit.
public final class Statement {
    let db: SQLiteDatabase
    let stmt: OpaquePointer
    let sql: String

    init(db: SQLiteDatabase, stmt: OpaquePointer, sql: String) { self.db = db; self.stmt = stmt; self.sql = sql }
    deinit { sqlite3_finalize(stmt) }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    public func bind(_ values: [SQLValue]) throws(StoreError) {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
        for (i, v) in values.enumerated() {
            let idx = Int32(i + 1)
            let rc: Int32
            switch v {
            case .null: rc = sqlite3_bind_null(stmt, idx)
            case .int(let n): rc = sqlite3_bind_int64(stmt, idx, n)
            case .double(let d): rc = sqlite3_bind_double(stmt, idx, d)
            case .text(let s): rc = sqlite3_bind_text(stmt, idx, s, -1, Self.transient)
            case .blob(let b):
                rc = b.withUnsafeBytes { sqlite3_bind_blob(stmt, idx, $0.baseAddress, Int32($0.count), Self.transient) }
            }
            if rc != SQLITE_OK { throw db.error("sqlite3_bind", sql: sql) }
        }
    }

    /// Advances one row; false when done (`sqlite3_step`).
    public func step() throws(StoreError) -> Bool {
        switch sqlite3_step(stmt) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw db.error("sqlite3_step", sql: sql)
        }
    }

    /// Binds, runs to completion, and resets.
    public func run(_ values: [SQLValue]) throws(StoreError) {
        try bind(values)
        while try step() {}
        sqlite3_reset(stmt)
    }

    public var columnCount: Int { Int(sqlite3_column_count(stmt)) }

    public func value(_ i: Int) -> SQLValue {
        let c = Int32(i)
        switch sqlite3_column_type(stmt, c) {
        case SQLITE_INTEGER: return .int(sqlite3_column_int64(stmt, c))
        case SQLITE_FLOAT: return .double(sqlite3_column_double(stmt, c))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(stmt, c)))
        case SQLITE_BLOB:
            let n = Int(sqlite3_column_bytes(stmt, c))
            guard n > 0, let p = sqlite3_column_blob(stmt, c) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: p, count: n)))
        default: return .null
        }
    }
}
