import PortraitGeometry
import PortraitModel

extension PostGISStore: StoreTables {
    func columns(of table: String) throws -> [String] {
        try session.query("SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                          [.text(table)]).compactMap { $0[0].text }.filter { !StoreTable.structural.contains($0) }
    }

    func readTable(_ name: String) throws -> StoreTable {
        guard try session.scalar("SELECT to_regclass($1) IS NOT NULL", [.text(name)])?.int == 1 else {
            return StoreTable(name: name, columns: [], rows: [], extent: nil)   // a table added later (`laterTables`)
        }
        let cols = try columns(of: name)
        let feature = StoreTable.featureTables.contains(name)
        let key = feature ? "fid" : "id"
        let select = ([key] + (feature ? ["ST_AsBinary(geom)"] : []) + cols.map { "\(SQLDialect.identifier($0))" }).joined(separator: ", ")
        let rows = try session.query("SELECT \(select) FROM \(name) ORDER BY \(key)").map { r -> (key: Int64, geometry: Geometry?, values: [SQLValue]) in
            let g = feature ? try Self.geometry(r[1]) : nil
            return (Int64(r[0].int ?? 0), g, Array(r[(feature ? 2 : 1)...]))
        }
        var extent: BBox?
        if feature, let l = StoreLayer(rawValue: name) { extent = try self.extent(l) }
        return StoreTable(name: name, columns: cols, rows: rows, extent: extent)
    }

    func isEmpty() throws -> Bool {
        for t in StoreTable.names where try session.scalar("SELECT to_regclass($1) IS NOT NULL", [.text(t)])?.int == 1
            && session.scalar("SELECT count(*) FROM \(t)")?.int ?? 0 > 0 { return false }
        return true
    }

    func clearTables() throws {
        try write(StoreTable.names.filter { StoreTable.featureTables.contains($0) } + ["mobilisations"]) {
            try session.run("TRUNCATE \(StoreTable.names.joined(separator: ", "))")
        }
    }

    func writeTable(_ t: StoreTable) throws {
        let cols = try Set(columns(of: t.name))
        let kept = t.columns.enumerated().filter { cols.contains($0.element) }
        try write(t.isFeatureTable ? [t.name] : []) {
            try session.copy(into: t.name,
                             columns: [t.keyColumn] + (t.isFeatureTable ? ["geom", "bbox_minx", "bbox_miny", "bbox_maxx", "bbox_maxy"] : [])
                                 + kept.map(\.element),
                             rows: t.rows.map { r in
                                 var row: [SQLValue] = [.int(r.key)]
                                 if t.isFeatureTable {
                                     if let g = r.geometry { row += [Self.ewkb(g)] + Self.envelope(g) } else { row += [.null, .null, .null, .null, .null] }
                                 }
                                 return row + kept.map { Self.copyValue(r.values[$0.offset]) }
                             })
            // The keys came with the rows: the sequence continues after the largest.
            try session.run("SELECT setval(pg_get_serial_sequence($1, $2), greatest((SELECT max(\(t.keyColumn)) FROM \(t.name)), 1), (SELECT count(*) > 0 FROM \(t.name)))",
                            [.text(t.name), .text(t.keyColumn)])
            if t.isFeatureTable {
                let e = t.extent
                try session.run("UPDATE portrait_layers SET min_x = $1, min_y = $2, max_x = $3, max_y = $4 WHERE name = $5",
                                [.optional(e?.minX), .optional(e?.minY), .optional(e?.maxX), .optional(e?.maxY), .text(t.name)])
            }
        }
    }

    /// An attribute value as COPY's text format takes it: a bytea in its hex form, `\\x…` (a bare hex string would be
    /// read as the text's own bytes; geometries, hex EWKB, are written apart).
    static func copyValue(_ v: SQLValue) -> SQLValue {
        guard case .blob(let b) = v else { return v }
        let hex: [Character] = Array("0123456789abcdef")
        var s = "\\x"
        s.reserveCapacity(2 + b.count * 2)
        for byte in b { s.append(hex[Int(byte >> 4)]); s.append(hex[Int(byte & 15)]) }
        return .text(s)
    }
}
