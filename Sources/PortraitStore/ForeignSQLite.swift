import Foundation

/// A SQLite file that comes from a user (an uploaded GeoPackage), described without running any of its SQL:
/// read-only, on a connection whose every statement stops after `timeLimit` seconds (`limitTime`).
public enum ForeignSQLite {
    /// One schema object: `view` or `table`, its name, and for virtual tables the module they use.
    public struct Object: Hashable, Sendable {
        public var type: String
        public var name: String
        /// `rtree`, `fts5`…, for `CREATE VIRTUAL TABLE`; nil for an ordinary table or a view.
        public var module: String?
    }

    /// The views and tables of `path` (from `sqlite_master`, which holds their definitions; none is run).
    public static func schema(_ path: String, timeLimit: Double = 1) throws(StoreError) -> [Object] {
        let db = try SQLiteDatabase(path: path, readOnly: true)
        db.limitTime(to: timeLimit)
        return try db.query("SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE type IN ('view', 'table')").compactMap { row in
            guard case .text(let type) = row[0], case .text(let name) = row[1], case .text(let sql) = row[2] else { return nil }
            var module: String?
            let lower = sql.lowercased()
            if lower.hasPrefix("create virtual table"), let using = lower.range(of: "using ") {
                module = String(lower[using.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" })
            }
            return Object(type: type, name: name, module: module)
        }
    }
}
