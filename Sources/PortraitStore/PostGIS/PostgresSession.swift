import Foundation
import Logging
import PortraitModel
import PostgresNIO

/// One PostgreSQL connection used from one thread at a time, synchronously: each statement is sent with
/// postgres-nio's future API (`PostgresConnection.query(_:logger:)`) and waited on. Never call it from an
/// event loop (NIO traps a `wait()` there): the CLI's thread and the server's worker threads only.
/// Values cross as `SQLValue`, as with SQLite; failures become `StoreError` with PostgreSQL's own message.
final class PostgresSession {
    let connection: PostgresConnection
    let location: PostgresLocation
    /// Set once a statement failed because the connection did: the pool then drops it.
    private(set) var broken = false
    static let logger = Logger(label: "portrait.postgres")

    init(connection: PostgresConnection, location: PostgresLocation) {
        self.connection = connection; self.location = location
    }

    /// Opens a connection (`PostgresConnection.connect`), waiting at most `timeout` seconds.
    static func connect(_ location: PostgresLocation, id: Int, timeout: Int64 = 5) throws(StoreError) -> PostgresSession {
        var config = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                      password: location.password, database: location.database, tls: .disable)
        config.options.connectTimeout = .seconds(timeout)
        do {
            let c = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: config,
                                                   id: id, logger: logger).wait()
            return PostgresSession(connection: c, location: location)
        } catch {
            throw Self.storeError(error, location: location, sql: nil)
        }
    }

    var isUsable: Bool { !broken && !connection.isClosed }

    func close() { try? connection.close().wait() }

    /// Rows of a statement, each column as an `SQLValue`.
    @discardableResult
    func query(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> [[SQLValue]] {
        try result(sql, bindings).rows.map { row in row.map(Self.value) }
    }

    /// Runs a statement; returns how many rows it changed.
    @discardableResult
    func run(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> Int {
        try result(sql, bindings).metadata.rows ?? 0
    }

    func scalar(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> SQLValue? {
        try query(sql, bindings).first?.first
    }

    private func result(_ sql: String, _ bindings: [SQLValue]) throws(StoreError) -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: bindings.count)
        for b in bindings {
            switch b {
            case .null: binds.appendNull()
            case .int(let i): binds.append(i)
            case .double(let d): binds.append(d)
            case .text(let s): binds.append(s)
            case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
            }
        }
        do {
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: Self.logger).wait()
        } catch {
            let e = Self.storeError(error, location: location, sql: sql)
            if e.kind == .unavailable { broken = true }
            throw e
        }
    }

    /// Streams `rows` into `table` with `COPY … FROM STDIN` (text format; `PostgresConnection.copyFrom`).
    /// Geometries go as hexadecimal EWKB (`blob` values are written in hex), NULL as `\N`.
    func copy(into table: String, columns: [String], rows: [[SQLValue]]) throws(StoreError) {
        guard !rows.isEmpty else { return }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(rows.count * 64)
        for row in rows {
            for (i, v) in row.enumerated() {
                if i > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                Self.writeCopyField(v, to: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        let failure = Self.copy(buffer, into: table, columns: columns, on: connection)
        if let error = failure {
            let e = Self.storeError(error, location: location, sql: "COPY \(table)")
            if e.kind == .unavailable { broken = true }
            throw e
        }
    }

    private final class CopyOutcome: @unchecked Sendable { var error: (any Error)? }

    /// Runs the jobs of the COPY tasks on a queue of its own.
    final class CopyExecutor: TaskExecutor, @unchecked Sendable {
        static let shared = CopyExecutor()
        private let queue = DispatchQueue(label: "portrait.postgres.copy")

        func enqueue(_ job: consuming ExecutorJob) {
            let job = UnownedJob(job)
            let executor = asUnownedTaskExecutor()
            queue.async { job.runSynchronously(on: executor) }
        }
    }

    /// `copyFrom` is async only: it runs as a task on `CopyExecutor` (its own queue, never the shared pool of
    /// Swift concurrency, whose few threads may all be the ones waiting here) and is waited for from this thread.
    private static func copy(_ data: ByteBuffer, into table: String, columns: [String], on connection: PostgresConnection) -> (any Error)? {
        let done = DispatchSemaphore(value: 0)
        let outcome = CopyOutcome()
        let logger = logger
        Task(executorPreference: CopyExecutor.shared) {
            do {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    try await writer.write(data)
                }
            } catch { outcome.error = error }
            done.signal()
        }
        done.wait()
        return outcome.error
    }

    /// One row as COPY text, for the tests.
    static func copyLine(_ row: [SQLValue]) -> String {
        var b = ByteBuffer()
        for (i, v) in row.enumerated() {
            if i > 0 { b.writeInteger(UInt8(ascii: "\t")) }
            writeCopyField(v, to: &b)
        }
        return String(buffer: b)
    }

    static func writeCopyField(_ v: SQLValue, to buffer: inout ByteBuffer) {
        switch v {
        case .null: buffer.writeStaticString("\\N")
        case .int(let i): buffer.writeString(String(i))
        case .double(let d): buffer.writeString(d.isFinite ? "\(d)" : (d.isNaN ? "NaN" : (d > 0 ? "Infinity" : "-Infinity")))
        case .text(let s):
            for b in s.utf8 {
                switch b {
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                default: buffer.writeInteger(b)
                }
            }
        case .blob(let bytes):
            let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
            for b in bytes { buffer.writeInteger(hex[Int(b >> 4)]); buffer.writeInteger(hex[Int(b & 15)]) }
        }
    }

    /// A cell as an `SQLValue`, by its PostgreSQL type.
    static func value(_ cell: PostgresCell) -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid:
            return (try? cell.decode(Int64.self, context: .default)).map { .int($0) } ?? .null
        case .float4, .float8, .numeric:
            return (try? cell.decode(Double.self, context: .default)).map { .double($0) } ?? .null
        case .bool:
            return (try? cell.decode(Bool.self, context: .default)).map { .int($0 ? 1 : 0) } ?? .null
        case .bytea:
            return (try? cell.decode(ByteBuffer.self, context: .default)).map { .blob(Array($0.readableBytesView)) } ?? .null
        default:
            return (try? cell.decode(String.self, context: .default)).map { .text($0) } ?? .null
        }
    }

    /// PostgreSQL's failure as a `StoreError`: its message and SQLSTATE; a connection that cannot be made or was
    /// lost, a server shutting down, a lock or serialisation conflict are `unavailable` (503, exit 3).
    static func storeError(_ error: any Error, location: PostgresLocation, sql: String?) -> StoreError {
        if let e = error as? StoreError { return e }
        guard let p = error as? PSQLError else {
            return StoreError(path: location.description, function: "PostgreSQL", message: "\(error)", sql: sql, kind: .unavailable,
                              library: "PostgreSQL")
        }
        if let info = p.serverInfo {
            let state = info[.sqlState] ?? ""
            let message = [info[.message], info[.detail].map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
            return StoreError(path: location.description, function: "SQLSTATE \(state)", message: message, sql: sql,
                              kind: kind(ofSQLState: state), library: "PostgreSQL")
        }
        let reason: String
        switch p.code {
        case .connectionError: reason = "connexion impossible (\(p.underlying.map { "\($0)" } ?? "serveur injoignable"))"
        case .serverClosedConnection, .uncleanShutdown: reason = "le serveur a fermé la connexion"
        case .clientClosedConnection: reason = "connexion fermée"
        default: reason = "\(p.code)" + (p.underlying.map { " : \($0)" } ?? "")
        }
        return StoreError(path: location.description, function: "connexion", message: reason, sql: sql, kind: .unavailable,
                          library: "PostgreSQL")
    }

    /// SQLSTATE classes: 08 connection, 53 resources, 57 operator intervention (shutdown), 40 rollback
    /// (deadlock, serialisation), 55P03 lock not available: unavailable. 22 data, 23 integrity: invalid input.
    static func kind(ofSQLState s: String) -> ErrorKind {
        switch s.prefix(2) {
        case "08", "53", "57", "40": .unavailable
        case "55" where s == "55P03": .unavailable
        case "22", "23": .invalidInput
        case "3D": .unavailable  // database does not exist
        case "28": .unavailable  // authentication
        default: .internal
        }
    }
}
