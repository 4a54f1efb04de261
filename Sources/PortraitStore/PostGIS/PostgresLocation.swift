import Foundation
import PortraitModel

/// A PostgreSQL store location: `postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (also `postgres://`).
/// The password may come from `PGPASSWORD` instead of the URL.
public struct PostgresLocation: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String

    /// True when `location` names a PostgreSQL database rather than a file.
    public static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    /// Parses a URL; `StoreError` (invalid input) naming what is missing.
    public init(_ location: String) throws {
        guard Self.isPostgres(location), let c = URLComponents(string: location), let host = c.host, !host.isEmpty else {
            throw StoreError(path: location, function: "open",
                             message: "adresse PostgreSQL illisible : attendu postgresql://UTILISATEUR@HÔTE:PORT/BASE", kind: .invalidInput)
        }
        let db = String(c.path.drop(while: { $0 == "/" }))
        guard !db.isEmpty else {
            throw StoreError(path: location, function: "open", message: "adresse PostgreSQL sans base : ajoutez /BASE à la fin", kind: .invalidInput)
        }
        self.host = host
        port = c.port ?? 5432
        user = c.user ?? ProcessInfo.processInfo.environment["PGUSER"] ?? "postgres"
        password = c.password ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
        database = db
    }

    /// The URL without its password: what messages, logs and `/health` show.
    public var description: String { "postgresql://\(user)@\(host):\(port)/\(database)" }

    /// A file-system-safe name for what lives beside a database (its tile cache).
    var slug: String { "\(host)_\(port)_\(database)".map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" }.map(String.init).joined() }
}
