import PortraitGeometry
import PortraitModel

extension GeoPackageStore {
    public func extent(_ layer: StoreLayer) throws -> BBox? { try package.extent(Self.table(layer)) }

    /// The layers of the store; the layer and styles written for GIS clients (`replaceGISLayer`, `layer_styles`) are
    /// derived from them and left out, as they are on PostGIS.
    public func layerSummaries() throws -> [LayerSummary] {
        try package.contents().filter { !Self.derivedForGIS.contains($0.table) }.map { c in
            LayerSummary(name: c.table, kind: c.dataType, geometryType: c.geometryType,
                         features: try db.scalar("SELECT count(*) FROM \(SQLDialect.identifier(c.table))")?.int ?? 0,
                         bbox: try package.extent(c.table)?.asArray.map { ($0 * 1e6).rounded() / 1e6 })
        }
    }

    static let derivedForGIS: Set<String> = ["portrait_municipalites", "layer_styles"]

    public func refreshExtents() throws {
        for layer in [StoreLayer.regions, .mrc, .municipalities, .coastline] { try package.refreshContents(Self.table(layer)) }
    }

    public func isDemo() throws -> Bool {
        guard try db.tableExists("imports") else { return false }
        return try db.scalar("SELECT count(*) FROM imports WHERE json_extract(parameters, '$.demo') = 'true'")?.int ?? 0 > 0
    }

    public func logImport(_ r: ImportLogEntry) throws -> Int64 {
        try db.run("""
            INSERT INTO imports (kind, level, source_file, sha256, imported_at, features_read, units, inserted, replaced,
                                 repaired, dissolved, warnings, parameters) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
            """, [.text(r.kind), .optional(r.level), .optional(ImportWriter.sourceFile(r.sourceFile)), .optional(r.sha256), .text(r.importedAt),
                  .int(Int64(r.featuresRead)), .int(Int64(r.units)), .int(Int64(r.inserted)), .int(Int64(r.replaced)),
                  .int(Int64(r.repaired)), .int(Int64(r.dissolved)), .text(JSONText.array(r.warnings)),
                  .text(JSONText.object(ImportWriter.stamped(r.parameters)))])
        let id = db.lastInsertRowID
        // The layers derived from the data are written at the end of this import's transaction (or now, outside one).
        derivationPending = true
        if !db.inTransaction { try deriveIfPending() }
        return id
    }

    public func updateImport(_ id: Int64, _ r: ImportLogEntry) throws {
        try db.run("""
            UPDATE imports SET features_read = ?, units = ?, inserted = ?, replaced = ?, repaired = ?, dissolved = ?,
                               warnings = ?, parameters = ? WHERE id = ?
            """, [.int(Int64(r.featuresRead)), .int(Int64(r.units)), .int(Int64(r.inserted)), .int(Int64(r.replaced)),
                  .int(Int64(r.repaired)), .int(Int64(r.dissolved)), .text(JSONText.array(r.warnings)),
                  .text(JSONText.object(ImportWriter.stamped(r.parameters))), .int(id)])
    }

    static let logColumns = """
        id, kind, level, source_file, sha256, imported_at, features_read, units, inserted, replaced,
        repaired, dissolved, warnings, parameters
        """

    static func logEntry(_ r: [SQLValue]) -> ImportLogEntry {
        ImportLogEntry(id: Int64(r[0].int ?? 0), kind: r[1].text ?? "", level: r[2].text, sourceFile: r[3].text,
                       sha256: r[4].text, importedAt: r[5].text ?? "", featuresRead: r[6].int ?? 0, units: r[7].int ?? 0,
                       inserted: r[8].int ?? 0, replaced: r[9].int ?? 0, repaired: r[10].int ?? 0,
                       dissolved: r[11].int ?? 0, warnings: JSONText.parseArray(r[12].text ?? "[]"),
                       parameters: JSONText.parseObject(r[13].text ?? "{}"))
    }

    public func imports(limit: Int = 10) throws -> [ImportLogEntry] {
        guard try db.tableExists("imports") else { return [] }
        return try db.query("SELECT \(Self.logColumns) FROM imports ORDER BY id DESC LIMIT ?", [.int(Int64(limit))]).map(Self.logEntry)
    }

    public func lastImport(kind: String) throws -> ImportLogEntry? {
        guard try db.tableExists("imports") else { return nil }
        return try db.query("SELECT \(Self.logColumns) FROM imports WHERE kind = ? ORDER BY id DESC LIMIT 1", [.text(kind)]).first.map(Self.logEntry)
    }
}
