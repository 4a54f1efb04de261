import Foundation
import Testing

/// The PostgreSQL/PostGIS cluster of the tests: `PORTRAIT_TEST_POSTGRES` holds its URL (`scripts/test`
/// starts a throwaway one with `scripts/pg-cluster` and sets it). Under CI its absence is a failure;
/// elsewhere the PostGIS cases are skipped with the reason.
public enum TestPostgres {
    public static let variable = "PORTRAIT_TEST_POSTGRES"
    public static var url: String? { ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 } }
    public static var shouldRun: Bool { url != nil || RealData.isCI }
    public static let skipReason: Comment = "PORTRAIT_TEST_POSTGRES absent : pas de cluster PostgreSQL/PostGIS (scripts/test en démarre un jetable ; hors CI, test ignoré)"

    public static func base() throws -> String {
        try #require(url, "CI=true mais PORTRAIT_TEST_POSTGRES n'est pas défini : scripts/test doit démarrer le cluster (scripts/pg-cluster)")
    }

    /// A new, empty database copied from the cluster's `portrait_template` (PostGIS installed); its URL.
    public static func freshDatabase(_ prefix: String = "t") throws -> String {
        let base = try base()
        let name = prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        _ = try psql(base, "CREATE DATABASE \(name) TEMPLATE portrait_template")
        return url(base, database: name)
    }

    /// `base` with another database.
    public static func url(_ base: String, database: String) -> String {
        var c = URLComponents(string: base)!
        c.path = "/" + database
        return c.string!
    }

    /// Runs one SQL statement with `psql`; its output (tuples only, unaligned). Throws with psql's message.
    @discardableResult
    public static func psql(_ url: String, _ sql: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        p.arguments = [url, "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw PsqlFailure(message: String(decoding: e, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public struct PsqlFailure: Error, CustomStringConvertible { public var message: String; public var description: String { "psql : " + message } }
}

/// The store backends a test runs on.
public enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case geopackage, postgis

    public var testDescription: String { rawValue }

    /// GeoPackage always; PostGIS when a cluster is given, and always under CI (where its absence fails).
    public static var available: [Backend] { TestPostgres.shouldRun ? [.geopackage, .postgis] : [.geopackage] }

    /// A location for a new, empty store: a file in a scratch folder, or a new database.
    public func newStore(_ name: String) throws -> String {
        switch self {
        case .geopackage: tempDir() + "/\(name).gpkg"
        case .postgis: try TestPostgres.freshDatabase(String(name.filter { $0.isLetter || $0.isNumber }.prefix(20)))
        }
    }
}

/// A fixture built once per backend, on first use (the build error, if any, given to every test that asks).
public final class PerBackend<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Backend: Result<T, any Error>] = [:]
    private let build: @Sendable (Backend) throws -> T

    public init(_ build: @escaping @Sendable (Backend) throws -> T) { self.build = build }

    public func get(_ backend: Backend) throws -> T {
        lock.lock(); defer { lock.unlock() }
        if let r = results[backend] { return try r.get() }
        let r = Result { try build(backend) }
        results[backend] = r
        return try r.get()
    }
}
