import PortraitGeometry
import PortraitModel

/// Every row of one store table, as both backends hold it: the row key (`fid` or `id`), the geometry as
/// WKB (feature tables), and the other columns by name. What `StoreCopy` moves from one backend to the other.
struct StoreTable {
    /// The tables of a store, in the order they are copied (features, then attributes).
    static let names = ["regions", "mrc", "municipalities", "coastline", "services", "places",
                        "mobilisations", "plans", "plan_targets", "plan_measurements", "custom_territories", "indicators", "indicator_values", "join_reports", "imports",
                        "road_networks", "road_nodes", "road_edges"]
    static let featureTables: Set<String> = ["regions", "mrc", "municipalities", "coastline", "services", "places"]

    var name: String
    var columns: [String]
    var rows: [(key: Int64, geometry: Geometry?, values: [SQLValue])]
    /// The extent the source recorded for the layer (feature tables), kept as it is.
    var extent: BBox?

    var isFeatureTable: Bool { Self.featureTables.contains(name) }
    var keyColumn: String { isFeatureTable ? "fid" : "id" }
    /// Columns that are not copied as values: the key, the geometry, PostGIS's envelope columns.
    static let structural: Set<String> = ["fid", "id", "geom", "bbox_minx", "bbox_miny", "bbox_maxx", "bbox_maxy"]
}

/// Reading and writing whole tables, for `StoreCopy`.
protocol StoreTables: TerritoryStore {
    func columns(of table: String) throws -> [String]
    func readTable(_ name: String) throws -> StoreTable
    /// True when no table holds a row.
    func isEmpty() throws -> Bool
    /// Empties every table (inside the caller's transaction).
    func clearTables() throws
    /// Makes the reads of the current transaction see one state of the store.
    func beginSnapshot() throws
    /// Inserts the rows with their keys, sets the recorded extent (inside the caller's transaction).
    func writeTable(_ table: StoreTable) throws
}

extension GeoPackageStore {
    /// Reads inside a transaction already see one state of the file.
    func beginSnapshot() throws {}
}

extension PostGISStore {
    /// Makes the current transaction read one state of the database throughout (`REPEATABLE READ`).
    func beginSnapshot() throws { try session.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ") }
}
