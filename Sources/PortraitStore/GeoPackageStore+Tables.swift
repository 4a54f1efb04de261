import PortraitGeometry
import PortraitModel

extension GeoPackageStore: StoreTables {
    func columns(of table: String) throws -> [String] {
        try db.columns(of: table).filter { !StoreTable.structural.contains($0) }
    }

    func readTable(_ name: String) throws -> StoreTable {
        guard try db.tableExists(name) else { return StoreTable(name: name, columns: [], rows: [], extent: nil) }   // added later
        let cols = try columns(of: name)
        let feature = StoreTable.featureTables.contains(name)
        let key = feature ? "fid" : "id"
        let select = ([key] + (feature ? ["geom"] : []) + cols.map { "\(SQLDialect.identifier($0))" }).joined(separator: ", ")
        let rows = try db.query("SELECT \(select) FROM \(SQLDialect.identifier(name)) ORDER BY \(key)").map { r -> (key: Int64, geometry: Geometry?, values: [SQLValue]) in
            let g = feature ? try GeoPackage.geometry(r[1]) : nil
            return (Int64(r[0].int ?? 0), g, Array(r[(feature ? 2 : 1)...]))
        }
        return StoreTable(name: name, columns: cols, rows: rows, extent: feature ? try package.extent(name) : nil)
    }

    func isEmpty() throws -> Bool {
        for t in StoreTable.names where try db.tableExists(t) && db.scalar("SELECT count(*) FROM \(SQLDialect.identifier(t))")?.int ?? 0 > 0 { return false }
        return true
    }

    func clearTables() throws {
        for t in StoreTable.names { try db.run("DELETE FROM \(SQLDialect.identifier(t))") }
    }

    func writeTable(_ t: StoreTable) throws {
        let cols = try Set(columns(of: t.name))
        let kept = t.columns.enumerated().filter { cols.contains($0.element) }
        let names = [t.keyColumn] + (t.isFeatureTable ? ["geom"] : []) + kept.map { "\(SQLDialect.identifier($0.element))" }
        let st = try db.prepare("INSERT INTO \(SQLDialect.identifier(t.name)) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ",")))")
        for r in t.rows {
            let geom: [SQLValue] = t.isFeatureTable ? [r.geometry.map(GeoPackage.blob) ?? .null] : []
            try st.run([.int(r.key)] + geom + kept.map { r.values[$0.offset] })
        }
        if t.isFeatureTable {
            let e = t.extent
            try db.run("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?",
                       [.optional(e?.minX), .optional(e?.minY), .optional(e?.maxX), .optional(e?.maxY), .text(t.name)])
        }
    }
}
