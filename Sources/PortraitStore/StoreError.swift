/// A failure of the store itself (SQLite or file system), with SQLite's own message.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    /// The SQLite function or step that failed (`sqlite3_prepare_v2`, …).
    public var function: String
    public var message: String
    public var sql: String?

    public init(path: String, function: String, message: String, sql: String? = nil) {
        self.path = path; self.function = function; self.message = message; self.sql = sql
    }

    public var description: String {
        "magasin \(path) : SQLite (\(function)) : \(message)" + (sql.map { " [\($0.prefix(120))]" } ?? "")
    }
}
