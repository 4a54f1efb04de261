import PortraitGeometry
import PortraitModel

extension PostGISStore {
    static func table(_ level: Level) -> String { GeoPackageStore.table(level) }

    static func unitColumns(_ level: Level, geometry: Bool) -> String { UnitSQL.columns(level, geometry: geometry, .postgres) }

    static func unit(_ level: Level, _ r: [SQLValue], offset o: Int = 0) throws -> TerritorialUnit {
        StoreRows.unit(level, r, offset: o, geometry: try geometry(r[o + 7]))
    }

    func units(_ level: Level, withGeometry: Bool, where clause: String?, _ bindings: [SQLValue] = []) throws -> [TerritorialUnit] {
        try session.query(UnitSQL.select(level, geometry: withGeometry, where: clause, .postgres), bindings).map { try Self.unit(level, $0) }
    }

    public func units(_ level: Level, withGeometry: Bool = true) throws -> [TerritorialUnit] {
        try units(level, withGeometry: withGeometry, where: nil)
    }

    public func unit(_ level: Level, code: String) throws -> TerritorialUnit? {
        try units(level, withGeometry: true, where: UnitSQL.byCode(.postgres), [.text(code)]).first
    }

    public func municipalities(in territory: Territory, withGeometry: Bool = true) throws -> [TerritorialUnit] {
        let c = UnitSQL.territory(territory, members: try members(of: territory), .postgres)
        return try units(.municipality, withGeometry: withGeometry, where: c?.sql, c?.bindings ?? [])
    }

    public func units(_ level: Level, intersecting box: BBox) throws -> [Located<TerritorialUnit>] {
        let m = Self.meets(box)
        return try session.query("SELECT fid, \(Self.unitColumns(level, geometry: true)) FROM \(Self.table(level)) WHERE \(m.sql) ORDER BY fid",
                                 m.bindings).map { Located(id: Int64($0[0].int ?? 0), value: try Self.unit(level, $0, offset: 1)) }
    }

    public func count(_ level: Level) throws -> Int {
        try session.scalar("SELECT count(*) FROM \(Self.table(level))")?.int ?? 0
    }

    public func designationCounts() throws -> [String: Int] {
        StoreRows.designationCounts(try session.query("SELECT coalesce(designation, ''), count(*) FROM municipalities GROUP BY 1"))
    }

    public func coastCounts(_ level: Level) throws -> CoastCounts {
        let aquatic = level == .municipality ? "aquatic" : "0"
        return StoreRows.coastCounts(try session.query("SELECT class, \(aquatic), count(*) FROM \(Self.table(level)) WHERE class IS NOT NULL GROUP BY 1, 2"))
    }

    // MARK: Writes

    @discardableResult
    public func upsert(_ u: TerritorialUnit, importID: Int64) throws -> Bool {
        let t = Self.table(u.level)
        return try write(t) {
            let replaced = try session.run("DELETE FROM \(t) WHERE code = $1", [.text(u.code)]) > 0
            let g = Geometry.multiPolygon(u.geometry)
            let geom: [SQLValue] = [.blob(g.wkb)] + Self.envelope(g)
            let geomSQL = "ST_GeomFromWKB($1, 4326), $2, $3, $4, $5"
            switch u.level {
            case .region:
                try session.run("""
                    INSERT INTO regions (geom, \(Self.envelopeColumns), code, name, area_km2, class, import_id)
                    VALUES (\(geomSQL), $6, $7, $8, $9, $10)
                    """, geom + [.text(u.code), .text(u.name), .double(u.areaKm2), .optional(u.coastClass?.rawValue), .int(importID)])
            case .mrc:
                try session.run("""
                    INSERT INTO mrc (geom, \(Self.envelopeColumns), code, name, region_code, area_km2, class, import_id)
                    VALUES (\(geomSQL), $6, $7, $8, $9, $10, $11)
                    """, geom + [.text(u.code), .text(u.name), .optional(u.regionCode), .double(u.areaKm2),
                                 .optional(u.coastClass?.rawValue), .int(importID)])
            case .municipality:
                try session.run("""
                    INSERT INTO municipalities (geom, \(Self.envelopeColumns), code, name, designation, mrc_code, region_code,
                      area_km2, class, aquatic, import_id)
                    VALUES (\(geomSQL), $6, $7, $8, $9, $10, $11, $12, $13, $14)
                    """, geom + [.text(u.code), .text(u.name), .optional(u.designation), .optional(u.mrcCode),
                                 .optional(u.regionCode), .double(u.areaKm2), .optional(u.coastClass?.rawValue),
                                 .int(u.isAquatic ? 1 : 0), .int(importID)])
            }
            return replaced
        }
    }

    public func fillRegionsFromMRC() throws -> Int {
        try write("municipalities") {
            try session.run("""
                UPDATE municipalities SET region_code = m.region_code FROM mrc m
                WHERE municipalities.region_code IS NULL AND m.code = municipalities.mrc_code AND m.region_code IS NOT NULL
                """)
        }
    }

    public func unitsWithoutParent(_ level: Level, parent: Level) throws -> [TerritorialUnit] {
        let column = parent == .region ? "region_code" : "mrc_code"
        guard level != .region, !(level == .mrc && parent == .mrc) else { return [] }
        return try units(level, withGeometry: true, where: "\(column) IS NULL")
    }

    public func setParents(_ level: Level, code: String, mrc: String?, region: String?) throws {
        switch level {
        case .municipality:
            try write("municipalities") {
                try session.run("UPDATE municipalities SET mrc_code = coalesce(mrc_code, $1), region_code = coalesce(region_code, $2) WHERE code = $3",
                                [.optional(mrc), .optional(region), .text(code)])
            }
        case .mrc:
            try write("mrc") {
                try session.run("UPDATE mrc SET region_code = coalesce(region_code, $1) WHERE code = $2", [.optional(region), .text(code)])
            }
        case .region: break
        }
    }

    public func unknownParents() throws -> [String] {
        var out: [String] = []
        if try count(.mrc) > 0 {
            out += try session.query("""
                SELECT DISTINCT mrc_code COLLATE "C" FROM municipalities WHERE mrc_code IS NOT NULL
                  AND mrc_code NOT IN (SELECT code FROM mrc) ORDER BY 1
                """).compactMap { $0[0].text.map { "MRC \($0)" } }
        }
        if try count(.region) > 0 {
            out += try session.query("""
                SELECT DISTINCT region_code COLLATE "C" FROM mrc WHERE region_code IS NOT NULL
                  AND region_code NOT IN (SELECT code FROM regions) ORDER BY 1
                """).compactMap { $0[0].text.map { "région \($0)" } }
        }
        return out
    }

    public func setCoastClass(_ level: Level, code: String, _ c: CoastClass) throws {
        let t = Self.table(level)
        try write(t) { try session.run("UPDATE \(t) SET class = $1 WHERE code = $2", [.text(c.rawValue), .text(code)]) }
    }

    // MARK: Coastline

    public func coastline() throws -> [LineString] {
        try session.query("SELECT ST_AsBinary(geom) FROM coastline ORDER BY fid").compactMap { try Self.geometry($0[0])?.lineStrings }.flatMap { $0 }
    }

    public func coastline(intersecting box: BBox) throws -> [Located<LineString>] {
        let m = Self.meets(box)
        return try session.query("SELECT fid, ST_AsBinary(geom) FROM coastline WHERE \(m.sql) ORDER BY fid", m.bindings).flatMap { r in
            let id = Int64(r[0].int ?? 0)
            return (try Self.geometry(r[1])?.lineStrings ?? []).map { Located(id: id, value: $0) }
        }
    }

    public func coastlineCount() throws -> Int {
        try session.scalar("SELECT count(*) FROM coastline")?.int ?? 0
    }

    @discardableResult
    public func replaceCoastline(_ lines: [LineString], source: String, importID: Int64) throws -> Int {
        try write("coastline") {
            let replaced = try session.run("DELETE FROM coastline")
            try session.copy(into: "coastline", columns: ["geom", "bbox_minx", "bbox_miny", "bbox_maxx", "bbox_maxy", "source", "import_id"],
                             rows: lines.map { l in
                                 let g = Geometry.multiLineString(MultiLineString([l]))
                                 return [Self.ewkb(g)] + Self.envelope(g) + [.text(source), .int(importID)]
                             })
            return replaced
        }
    }
}
