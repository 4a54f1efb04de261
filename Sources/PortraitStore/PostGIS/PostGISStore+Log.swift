import PortraitGeometry
import PortraitModel

extension PostGISStore {
    public func extent(_ layer: StoreLayer) throws -> BBox? {
        guard let r = try session.query("SELECT min_x, min_y, max_x, max_y FROM portrait_layers WHERE name = $1",
                                        [.text(GeoPackageStore.table(layer))]).first,
              let a = r[0].double, let b = r[1].double, let c = r[2].double, let d = r[3].double else { return nil }
        return BBox(minX: a, minY: b, maxX: c, maxY: d)
    }

    /// Records a layer's extent from its rows' envelopes (what the GeoPackage reads from its R-tree).
    func refreshExtent(_ table: String) throws {
        try session.run("""
            UPDATE portrait_layers SET (min_x, min_y, max_x, max_y) =
              (SELECT min(bbox_minx)::float8, min(bbox_miny)::float8, max(bbox_maxx)::float8, max(bbox_maxy)::float8 FROM \(table))
            WHERE name = $1
            """, [.text(table)])
    }

    public func layerSummaries() throws -> [LayerSummary] {
        try session.query("SELECT name, kind, geometry_type, min_x, min_y, max_x, max_y FROM portrait_layers ORDER BY name COLLATE \"C\"").map { r in
            let name = r[0].text ?? ""
            var bbox: [Double]?
            if let a = r[3].double, let b = r[4].double, let c = r[5].double, let d = r[6].double {
                bbox = [a, b, c, d].map { ($0 * 1e6).rounded() / 1e6 }
            }
            return LayerSummary(name: name, kind: r[1].text ?? "", geometryType: r[2].text,
                                features: try session.scalar("SELECT count(*) FROM \(name)")?.int ?? 0, bbox: bbox)
        }
    }

    public func refreshExtents() throws {
        try write {
            for layer in [StoreLayer.regions, .mrc, .municipalities, .coastline] { try refreshExtent(GeoPackageStore.table(layer)) }
        }
    }

    public func isDemo() throws -> Bool {
        try session.scalar("SELECT count(*) FROM imports WHERE (parameters::jsonb ->> 'demo') = 'true'")?.int ?? 0 > 0
    }

    public func logImport(_ r: ImportLogEntry) throws -> Int64 {
        try write {
            // The layers derived from the data are written at the end of this import's transaction.
            derivationPending = true
            return Int64(try session.scalar("""
                INSERT INTO imports (kind, level, source_file, sha256, imported_at, features_read, units, inserted, replaced,
                                     repaired, dissolved, warnings, parameters) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                RETURNING id
                """, [.text(r.kind), .optional(r.level), .optional(ImportWriter.sourceFile(r.sourceFile)), .optional(r.sha256), .text(r.importedAt),
                      .int(Int64(r.featuresRead)), .int(Int64(r.units)), .int(Int64(r.inserted)), .int(Int64(r.replaced)),
                      .int(Int64(r.repaired)), .int(Int64(r.dissolved)), .text(JSONText.array(r.warnings)),
                      .text(JSONText.object(ImportWriter.stamped(r.parameters)))])?.int ?? 0)
        }
    }

    public func updateImport(_ id: Int64, _ r: ImportLogEntry) throws {
        try write {
            try session.run("""
                UPDATE imports SET features_read = $1, units = $2, inserted = $3, replaced = $4, repaired = $5, dissolved = $6,
                                   warnings = $7, parameters = $8 WHERE id = $9
                """, [.int(Int64(r.featuresRead)), .int(Int64(r.units)), .int(Int64(r.inserted)), .int(Int64(r.replaced)),
                      .int(Int64(r.repaired)), .int(Int64(r.dissolved)), .text(JSONText.array(r.warnings)),
                      .text(JSONText.object(ImportWriter.stamped(r.parameters))), .int(id)])
        }
    }

    public func imports(limit: Int = 10) throws -> [ImportLogEntry] {
        try session.query("SELECT \(GeoPackageStore.logColumns) FROM imports ORDER BY id DESC LIMIT $1", [.int(Int64(limit))])
            .map(GeoPackageStore.logEntry)
    }

    public func lastImport(kind: String) throws -> ImportLogEntry? {
        try session.query("SELECT \(GeoPackageStore.logColumns) FROM imports WHERE kind = $1 ORDER BY id DESC LIMIT 1", [.text(kind)])
            .first.map(GeoPackageStore.logEntry)
    }
}
