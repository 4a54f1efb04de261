import Foundation
import PortraitModel

/// What `portrait store copy` moved.
public struct StoreCopyReport: Codable, Sendable {
    public var from: String
    public var to: String
    /// Rows per table, in copy order.
    public var tables: [String: Int]
    public var rows: Int { tables.values.reduce(0, +) }
}

/// Moves a whole store from one location to another, GeoPackage or PostgreSQL either way: every table with
/// its row keys, geometries, import ids, the imports log and join reports, and the recorded extents. The
/// source is read as one state; the target is written in one transaction (nothing lands on failure). A
/// target that already holds data is refused unless `replace`.
public enum StoreCopy {
    public static func run(from: String, to: String, replace: Bool = false) throws -> StoreCopyReport {
        guard Stores.display(from) != Stores.display(to), (from as NSString).standardizingPath != (to as NSString).standardizingPath else {
            throw StoreError(path: Stores.display(to), function: "open", message: "la source et la destination sont le même magasin",
                             kind: .invalidInput)
        }
        guard let source = try Stores.open(from) as? any StoreTables else {
            throw StoreError(path: Stores.display(from), function: "open", message: "magasin illisible pour la copie", kind: .internal)
        }
        let tables = try source.transaction {
            try source.beginSnapshot()
            return try StoreTable.names.map { try source.readTable($0) }
        }
        try Stores.writing(to: to) { store in
            guard let target = store as? any StoreTables else {
                throw StoreError(path: Stores.display(to), function: "open", message: "magasin illisible pour la copie", kind: .internal)
            }
            if try !target.isEmpty() {
                guard replace else {
                    throw StoreError(path: Stores.display(to), function: "open",
                                     message: "la destination contient déjà des données : rien n'a été copié (--replace pour la remplacer)",
                                     kind: .invalidInput)
                }
                try target.clearTables()
            }
            for t in tables { try target.writeTable(t) }
            // The layers derived for GIS clients, made again in the copy's own transaction.
            try ImportWriter.derive(store)
        }
        return StoreCopyReport(from: Stores.display(from), to: Stores.display(to),
                               tables: Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0.rows.count) }))
    }
}
