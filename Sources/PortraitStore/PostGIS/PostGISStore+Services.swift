import PortraitGeometry
import PortraitModel

extension PostGISStore {
    static let serviceColumns = ServiceSQL.columns(.postgres)

    static func service(_ r: [SQLValue], offset o: Int = 0) throws -> Service? {
        StoreRows.service(r, offset: o, geometry: try geometry(r[o + 7]))
    }

    func services(where clause: String?, _ bindings: [SQLValue]) throws -> [Service] {
        let rows = try session.query(ServiceSQL.select(where: clause, .postgres), bindings)
        return try rows.compactMap { try Self.service($0) }
    }

    public func services(category: String? = nil) throws -> [Service] {
        let c = ServiceSQL.category(category, .postgres)
        return try services(where: c.sql, c.bindings)
    }

    public func services(category: String?, in territory: Territory) throws -> [Service] {
        let c = ServiceSQL.inTerritory(category: category, territory, members: try members(of: territory), .postgres)
        return try services(where: c.sql, c.bindings)
    }

    public func services(intersecting box: BBox) throws -> [Located<Service>] {
        let m = Self.meets(box)
        return try session.query("SELECT fid, \(Self.serviceColumns) FROM services WHERE \(m.sql) ORDER BY fid", m.bindings)
            .compactMap { r in try Self.service(r, offset: 1).map { Located(id: Int64(r[0].int ?? 0), value: $0) } }
    }

    public func serviceCategories() throws -> [String] {
        try session.query(ServiceSQL.categories(.postgres)).compactMap { $0[0].text }
    }

    @discardableResult
    public func replaceServices(category: String, _ services: [Service], importID: Int64) throws -> Int {
        try write("services") {
            let replaced = try session.run(ServiceSQL.deleteCategory(.postgres), [.text(category)])
            try session.copy(into: "services", columns: ["geom", "bbox_minx", "bbox_miny", "bbox_maxx", "bbox_maxy", "category", "name",
                                                         "address", "municipality_code", "capacity", "source", "vintage", "import_id"],
                             rows: services.map { s in
                                 let g = Geometry.point(Point(s.position))
                                 return [Self.ewkb(g)] + Self.envelope(g) + [
                                     .text(s.category), .text(s.name), .optional(s.address), .optional(s.municipalityCode),
                                     .optional(s.capacity), .text(s.source), s.vintage.map { .int(Int64($0)) } ?? .null, .int(importID),
                                 ]
                             })
            try refreshExtent("services")
            return replaced
        }
    }

    public func places() throws -> [Place] {
        try session.query("SELECT name, municipality_code, source, ST_AsBinary(geom) FROM places ORDER BY fid").compactMap { r in
            guard case .point(let p)? = try Self.geometry(r[3]) else { return nil }
            return Place(name: r[0].text ?? "", municipalityCode: r[1].text, source: r[2].text ?? "", position: p.position)
        }
    }

    @discardableResult
    public func replacePlaces(_ places: [Place], importID: Int64) throws -> Int {
        try write("places") {
            let replaced = try session.run("DELETE FROM places")
            try session.copy(into: "places", columns: ["geom", "bbox_minx", "bbox_miny", "bbox_maxx", "bbox_maxy", "name",
                                                       "municipality_code", "source", "import_id"],
                             rows: places.map { p in
                                 let g = Geometry.point(Point(p.position))
                                 return [Self.ewkb(g)] + Self.envelope(g) + [.text(p.name), .optional(p.municipalityCode), .text(p.source), .int(importID)]
                             })
            try refreshExtent("places")
            return replaced
        }
    }

    // MARK: Mobilisations

    public func mobilisations() throws -> [Mobilisation] {
        try session.query("""
            SELECT \(StoreRows.mobilisationColumns) FROM mobilisations ORDER BY mobilisation_id COLLATE "C"
            """).map(StoreRows.mobilisation)
    }

    public func mobilisationExists(_ id: String) throws -> Bool {
        try session.scalar("SELECT count(*) FROM mobilisations WHERE mobilisation_id = $1", [.text(id)])?.int ?? 0 > 0
    }

    @discardableResult
    public func saveMobilisations(_ list: [Mobilisation], importID: Int64) throws -> Int {
        try write("mobilisations") {
            var replaced = 0
            for m in list {
                replaced += try session.run("DELETE FROM mobilisations WHERE mobilisation_id = $1", [.text(m.id)]) > 0 ? 1 : 0
                try session.run("""
                    INSERT INTO mobilisations (mobilisation_id, name, acronym, scale, territory_type, territory_code, region_code,
                      start_year, end_year, leadership, enjeux, budget_cad, source, import_id)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                    """, StoreRows.values(m, importID: importID))
            }
            return replaced
        }
    }

    public func replaceTargets(_ targets: [MobilisationTarget], importID: Int64) throws {
        try write("mobilisations") {
            for id in Set(targets.map(\.mobilisationID)).sorted() {
                try session.run("DELETE FROM mobilisation_targets WHERE mobilisation_id = $1", [.text(id)])
            }
            try session.copy(into: "mobilisation_targets",
                             columns: ["mobilisation_id", "axis", "indicator", "target", "unit", "deadline", "source", "import_id"],
                             rows: targets.map { t in
                                 [.text(t.mobilisationID), .optional(t.axis), .optional(t.indicator), .optional(t.target), .optional(t.unit),
                                  t.deadline.map { .int(Int64($0)) } ?? .null, .optional(t.source), .int(importID)]
                             })
        }
    }

    // MARK: Custom territories

    public func customTerritories() throws -> [CustomTerritory] {
        guard try session.scalar("SELECT to_regclass('custom_territories') IS NOT NULL")?.int == 1 else { return [] }
        return try session.query("SELECT territory_id, name, codes, source FROM custom_territories ORDER BY territory_id COLLATE \"C\"")
            .map(StoreRows.customTerritory)
    }

    public func saveCustomTerritories(_ territories: [CustomTerritory], importID: Int64) throws -> Int {
        try write("custom_territories") {
            var replaced = 0
            for t in territories {
                replaced += try session.run("DELETE FROM custom_territories WHERE territory_id = $1", [.text(t.id)]) > 0 ? 1 : 0
                try session.run("INSERT INTO custom_territories (territory_id, name, codes, source, import_id) VALUES ($1, $2, $3, $4, $5)",
                                [.text(t.id), .text(t.name), .text(t.codes.joined(separator: ",")), .text(t.source), .int(importID)])
            }
            return replaced
        }
    }
}
