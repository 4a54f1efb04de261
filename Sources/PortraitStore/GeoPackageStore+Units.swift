import PortraitGeometry
import PortraitModel

extension GeoPackageStore {
    static func unitColumns(_ level: Level, geometry: Bool) -> String { UnitSQL.columns(level, geometry: geometry, .sqlite) }

    static func unit(_ level: Level, _ r: [SQLValue], offset o: Int = 0) throws -> TerritorialUnit {
        StoreRows.unit(level, r, offset: o, geometry: try GeoPackage.geometry(r[o + 7]))
    }

    /// Units of a level matching an optional SQL condition, ordered by code.
    func units(_ level: Level, withGeometry: Bool, where clause: String?, _ bindings: [SQLValue] = []) throws -> [TerritorialUnit] {
        let table = Self.table(level)
        guard try db.tableExists(table) else { return [] }
        return try db.query(UnitSQL.select(level, geometry: withGeometry, where: clause, .sqlite), bindings).map { try Self.unit(level, $0) }
    }

    public func units(_ level: Level, withGeometry: Bool = true) throws -> [TerritorialUnit] {
        try units(level, withGeometry: withGeometry, where: nil)
    }

    public func unit(_ level: Level, code: String) throws -> TerritorialUnit? {
        try units(level, withGeometry: true, where: UnitSQL.byCode(.sqlite), [.text(code)]).first
    }

    public func municipalities(in territory: Territory, withGeometry: Bool = true) throws -> [TerritorialUnit] {
        let c = UnitSQL.territory(territory, members: try members(of: territory), .sqlite)
        return try units(.municipality, withGeometry: withGeometry, where: c?.sql, c?.bindings ?? [])
    }

    public func units(_ level: Level, intersecting box: BBox) throws -> [Located<TerritorialUnit>] {
        let table = Self.table(level)
        guard try db.tableExists(table) else { return [] }
        let ids = try package.ids(in: table, intersecting: box)
        guard !ids.isEmpty else { return [] }
        let sql = "SELECT fid, \(Self.unitColumns(level, geometry: true)) FROM \(SQLDialect.identifier(table)) WHERE fid IN (\(ids.map(String.init).joined(separator: ",")))"
        return try db.query(sql).map { Located(id: Int64($0[0].int ?? 0), value: try Self.unit(level, $0, offset: 1)) }
    }

    public func count(_ level: Level) throws -> Int {
        let table = Self.table(level)
        guard try db.tableExists(table) else { return 0 }
        return try db.scalar("SELECT count(*) FROM \(SQLDialect.identifier(table))")?.int ?? 0
    }

    public func designationCounts() throws -> [String: Int] {
        guard try db.tableExists("municipalities") else { return [:] }
        return StoreRows.designationCounts(try db.query("SELECT coalesce(designation, ''), count(*) FROM municipalities GROUP BY 1"))
    }

    public func coastCounts(_ level: Level) throws -> CoastCounts {
        let table = Self.table(level)
        guard try db.tableExists(table) else { return CoastCounts() }
        let aquatic = level == .municipality ? "aquatic" : "0"
        return StoreRows.coastCounts(try db.query("SELECT class, \(aquatic), count(*) FROM \(SQLDialect.identifier(table)) WHERE class IS NOT NULL GROUP BY 1, 2"))
    }

    // MARK: Writes

    @discardableResult
    public func upsert(_ u: TerritorialUnit, importID: Int64) throws -> Bool {
        let t = Self.table(u.level)
        try db.run("DELETE FROM \(SQLDialect.identifier(t)) WHERE code = ?", [.text(u.code)])
        let replaced = db.changes > 0
        let geom = GeoPackage.blob(.multiPolygon(u.geometry))
        switch u.level {
        case .region:
            try db.run("INSERT INTO regions (geom, code, name, area_km2, class, import_id) VALUES (?,?,?,?,?,?)",
                       [geom, .text(u.code), .text(u.name), .double(u.areaKm2), .optional(u.coastClass?.rawValue), .int(importID)])
        case .mrc:
            try db.run("INSERT INTO mrc (geom, code, name, region_code, area_km2, class, import_id) VALUES (?,?,?,?,?,?,?)",
                       [geom, .text(u.code), .text(u.name), .optional(u.regionCode), .double(u.areaKm2),
                        .optional(u.coastClass?.rawValue), .int(importID)])
        case .municipality:
            try db.run("""
                INSERT INTO municipalities (geom, code, name, designation, mrc_code, region_code, area_km2, class, aquatic, import_id)
                VALUES (?,?,?,?,?,?,?,?,?,?)
                """, [geom, .text(u.code), .text(u.name), .optional(u.designation), .optional(u.mrcCode),
                      .optional(u.regionCode), .double(u.areaKm2), .optional(u.coastClass?.rawValue),
                      .int(u.isAquatic ? 1 : 0), .int(importID)])
        }
        return replaced
    }

    public func fillRegionsFromMRC() throws -> Int {
        try db.run("""
            UPDATE municipalities SET region_code = (SELECT m.region_code FROM mrc m WHERE m.code = municipalities.mrc_code)
            WHERE region_code IS NULL AND mrc_code IS NOT NULL
              AND EXISTS (SELECT 1 FROM mrc m WHERE m.code = municipalities.mrc_code AND m.region_code IS NOT NULL)
            """)
        return db.changes
    }

    public func unitsWithoutParent(_ level: Level, parent: Level) throws -> [TerritorialUnit] {
        let column = parent == .region ? "region_code" : "mrc_code"
        guard level != .region, !(level == .mrc && parent == .mrc) else { return [] }
        return try units(level, withGeometry: true, where: "\(column) IS NULL")
    }

    public func setParents(_ level: Level, code: String, mrc: String?, region: String?) throws {
        switch level {
        case .municipality:
            try db.run("UPDATE municipalities SET mrc_code = coalesce(mrc_code, ?), region_code = coalesce(region_code, ?) WHERE code = ?",
                       [.optional(mrc), .optional(region), .text(code)])
        case .mrc:
            try db.run("UPDATE mrc SET region_code = coalesce(region_code, ?) WHERE code = ?", [.optional(region), .text(code)])
        case .region: break
        }
    }

    public func unknownParents() throws -> [String] {
        var out: [String] = []
        if try count(.mrc) > 0 {
            out += try db.query("""
                SELECT DISTINCT mrc_code FROM municipalities WHERE mrc_code IS NOT NULL
                  AND mrc_code NOT IN (SELECT code FROM mrc) ORDER BY 1
                """).compactMap { $0[0].text.map { "MRC \($0)" } }
        }
        if try count(.region) > 0 {
            out += try db.query("""
                SELECT DISTINCT region_code FROM mrc WHERE region_code IS NOT NULL
                  AND region_code NOT IN (SELECT code FROM regions) ORDER BY 1
                """).compactMap { $0[0].text.map { "région \($0)" } }
        }
        return out
    }

    public func setCoastClass(_ level: Level, code: String, _ c: CoastClass) throws {
        try db.run("UPDATE \(SQLDialect.identifier(Self.table(level))) SET class = ? WHERE code = ?", [.text(c.rawValue), .text(code)])
    }

    // MARK: Coastline

    public func coastline() throws -> [LineString] {
        guard try db.tableExists("coastline") else { return [] }
        return try db.query("SELECT geom FROM coastline ORDER BY fid").compactMap { try GeoPackage.geometry($0[0])?.lineStrings }.flatMap { $0 }
    }

    public func coastline(intersecting box: BBox) throws -> [Located<LineString>] {
        guard try db.tableExists("coastline") else { return [] }
        let ids = try package.ids(in: "coastline", intersecting: box)
        guard !ids.isEmpty else { return [] }
        return try db.query("SELECT fid, geom FROM coastline WHERE fid IN (\(ids.map(String.init).joined(separator: ",")))").flatMap { r in
            let id = Int64(r[0].int ?? 0)
            return (try GeoPackage.geometry(r[1])?.lineStrings ?? []).map { Located(id: id, value: $0) }
        }
    }

    public func coastlineCount() throws -> Int {
        guard try db.tableExists("coastline") else { return 0 }
        return try db.scalar("SELECT count(*) FROM coastline")?.int ?? 0
    }

    @discardableResult
    public func replaceCoastline(_ lines: [LineString], source: String, importID: Int64) throws -> Int {
        try db.run("DELETE FROM coastline")
        let replaced = db.changes
        let st = try db.prepare("INSERT INTO coastline (geom, source, import_id) VALUES (?,?,?)")
        for l in lines {
            try st.run([GeoPackage.blob(.multiLineString(MultiLineString([l]))), .text(source), .int(importID)])
        }
        return replaced
    }
}
