import PortraitGeometry
import PortraitModel

extension GeoPackageStore {
    static let serviceColumns = ServiceSQL.columns(.sqlite)

    static func service(_ r: [SQLValue], offset o: Int = 0) throws -> Service? {
        StoreRows.service(r, offset: o, geometry: try GeoPackage.geometry(r[o + 7]))
    }

    func services(where clause: String?, _ bindings: [SQLValue]) throws -> [Service] {
        guard try db.tableExists("services") else { return [] }
        let rows = try db.query(ServiceSQL.select(where: clause, .sqlite), bindings)
        return try rows.compactMap { try Self.service($0) }
    }

    public func services(category: String? = nil) throws -> [Service] {
        let c = ServiceSQL.category(category, .sqlite)
        return try services(where: c.sql, c.bindings)
    }

    public func services(category: String?, in territory: Territory) throws -> [Service] {
        let c = ServiceSQL.inTerritory(category: category, territory, members: try members(of: territory), .sqlite)
        return try services(where: c.sql, c.bindings)
    }

    public func services(intersecting box: BBox) throws -> [Located<Service>] {
        guard try db.tableExists("services") else { return [] }
        let ids = try package.ids(in: "services", intersecting: box)
        guard !ids.isEmpty else { return [] }
        return try db.query("SELECT fid, \(Self.serviceColumns) FROM services WHERE fid IN (\(ids.map(String.init).joined(separator: ",")))")
            .compactMap { r in try Self.service(r, offset: 1).map { Located(id: Int64(r[0].int ?? 0), value: $0) } }
    }

    public func serviceCategories() throws -> [String] {
        guard try db.tableExists("services") else { return [] }
        return try db.query(ServiceSQL.categories(.sqlite)).compactMap { $0[0].text }
    }

    @discardableResult
    public func replaceServices(category: String, _ services: [Service], importID: Int64) throws -> Int {
        try db.run(ServiceSQL.deleteCategory(.sqlite), [.text(category)])
        let replaced = db.changes
        let st = try db.prepare("""
            INSERT INTO services (geom, category, name, address, municipality_code, capacity, source, vintage, import_id)
            VALUES (?,?,?,?,?,?,?,?,?)
            """)
        for s in services {
            try st.run([GeoPackage.blob(.point(Point(s.position))), .text(s.category), .text(s.name), .optional(s.address),
                        .optional(s.municipalityCode), .optional(s.capacity), .text(s.source), s.vintage.map { .int(Int64($0)) } ?? .null,
                        .int(importID)])
        }
        try package.refreshContents("services")
        return replaced
    }

    public func places() throws -> [Place] {
        guard try db.tableExists("places") else { return [] }
        return try db.query("SELECT name, municipality_code, source, geom FROM places ORDER BY fid").compactMap { r in
            guard case .point(let p)? = try GeoPackage.geometry(r[3]) else { return nil }
            return Place(name: r[0].text ?? "", municipalityCode: r[1].text, source: r[2].text ?? "", position: p.position)
        }
    }

    @discardableResult
    public func replacePlaces(_ places: [Place], importID: Int64) throws -> Int {
        try db.run("DELETE FROM places")
        let replaced = db.changes
        let st = try db.prepare("INSERT INTO places (geom, name, municipality_code, source, import_id) VALUES (?,?,?,?,?)")
        for p in places {
            try st.run([GeoPackage.blob(.point(Point(p.position))), .text(p.name), .optional(p.municipalityCode), .text(p.source), .int(importID)])
        }
        try package.refreshContents("places")
        return replaced
    }

    // MARK: Mobilisations

    public func mobilisations() throws -> [Mobilisation] {
        guard try db.tableExists("mobilisations") else { return [] }
        return try db.query("""
            SELECT \(StoreRows.mobilisationColumns) FROM mobilisations ORDER BY mobilisation_id
            """).map(StoreRows.mobilisation)
    }

    public func mobilisationExists(_ id: String) throws -> Bool {
        guard try db.tableExists("mobilisations") else { return false }
        return try db.scalar("SELECT count(*) FROM mobilisations WHERE mobilisation_id = ?", [.text(id)])?.int ?? 0 > 0
    }

    @discardableResult
    public func saveMobilisations(_ list: [Mobilisation], importID: Int64) throws -> Int {
        var replaced = 0
        for m in list {
            try db.run("DELETE FROM mobilisations WHERE mobilisation_id = ?", [.text(m.id)])
            replaced += db.changes > 0 ? 1 : 0
            try db.run("""
                INSERT INTO mobilisations (mobilisation_id, name, acronym, scale, territory_type, territory_code, region_code,
                  start_year, end_year, leadership, enjeux, budget_cad, source, import_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """, StoreRows.values(m, importID: importID))
        }
        return replaced
    }

    // MARK: Plans

    public func plans() throws -> [Plan] {
        guard try db.tableExists("plans") else { return [] }
        return try db.query(PlanSQL.selectPlans(.sqlite)).map(PlanSQL.plan)
    }

    public func planTargets(plan: String?) throws -> [PlanTarget] {
        guard try db.tableExists("plan_targets") else { return [] }
        return try db.query(PlanSQL.selectTargets(plan: plan != nil, .sqlite), plan.map { [.text($0)] } ?? []).map(PlanSQL.target)
    }

    public func measurements(plan: String?) throws -> [TargetMeasurement] {
        guard try db.tableExists("plan_measurements") else { return [] }
        return try db.query(PlanSQL.selectMeasurements(plan: plan != nil, .sqlite), plan.map { [.text($0)] } ?? []).map(PlanSQL.measurement)
    }

    // MARK: Roads

    public func roadNetworkName() throws -> String? {
        guard try db.tableExists("road_networks"), let meta = try db.query(RoadSQL.selectNetwork).first else { return nil }
        return RoadSQL.networkName(source: meta[0].text ?? "", vintage: meta[1].int)
    }

    public func roadNetwork() throws -> (network: RoadNetwork, vintage: Int?, report: String?)? {
        guard try db.tableExists("road_networks"), let meta = try db.query(RoadSQL.selectNetwork).first else { return nil }
        let nodes = try db.query(RoadSQL.selectNodes).map { Position($0[1].double ?? 0, $0[2].double ?? 0) }
        let edges = try db.query(RoadSQL.selectEdges).map(RoadSQL.edge)
        return (RoadNetwork(nodes: nodes, edges: edges, source: meta[0].text ?? ""), meta[1].int, meta[2].text)
    }

    @discardableResult
    public func replaceRoadNetwork(_ network: RoadNetwork, vintage: Int?, report: String, importID: Int64) throws -> Int {
        let replaced = try db.scalar("SELECT count(*) FROM road_edges")?.int ?? 0
        for t in RoadSQL.names { try db.run("DELETE FROM \(t)") }
        try db.run(RoadSQL.insert("road_networks", .sqlite), [.text(network.source), vintage.map { .int(Int64($0)) } ?? .null, .text(report), .int(importID)])
        let nodes = try db.prepare(RoadSQL.insert("road_nodes", .sqlite))
        for (i, p) in network.nodes.enumerated() { try nodes.run(RoadSQL.nodeRow(i, p, importID: importID)) }
        let edges = try db.prepare(RoadSQL.insert("road_edges", .sqlite))
        for (i, e) in network.edges.enumerated() { try edges.run(RoadSQL.edgeRow(i, e, importID: importID)) }
        return replaced
    }

    @discardableResult
    public func savePlans(_ plans: [Plan], targets: [PlanTarget], importID: Int64) throws -> Int {
        var replaced = 0
        for p in plans {
            try db.run(PlanSQL.deletePlan(.sqlite), [.text(p.id)])
            replaced += db.changes > 0 ? 1 : 0
            try db.run(PlanSQL.deleteTargets(.sqlite), [.text(p.id)])
            try db.run(PlanSQL.insert("plans", .sqlite), PlanSQL.values(p, importID: importID))
        }
        let st = try db.prepare(PlanSQL.insert("plan_targets", .sqlite))
        for t in targets { try st.run(PlanSQL.values(t, importID: importID)) }
        return replaced
    }

    @discardableResult
    public func saveMeasurements(_ list: [TargetMeasurement], importID: Int64) throws -> Int {
        var replaced = 0
        let delete = try db.prepare(PlanSQL.deleteMeasurement(.sqlite)), insert = try db.prepare(PlanSQL.insert("plan_measurements", .sqlite))
        for m in list {
            try delete.run([.text(m.targetID), .text(m.territory), .text(m.date)])
            replaced += db.changes > 0 ? 1 : 0
            try insert.run(PlanSQL.values(m, importID: importID))
        }
        return replaced
    }

    // MARK: Custom territories

    public func customTerritories() throws -> [CustomTerritory] {
        guard try db.tableExists("custom_territories") else { return [] }
        return try db.query("SELECT territory_id, name, codes, source FROM custom_territories ORDER BY territory_id").map(StoreRows.customTerritory)
    }

    public func saveCustomTerritories(_ territories: [CustomTerritory], importID: Int64) throws -> Int {
        var replaced = 0
        for t in territories {
            try db.run("DELETE FROM custom_territories WHERE territory_id = ?", [.text(t.id)])
            replaced += db.changes > 0 ? 1 : 0
            try db.run("INSERT INTO custom_territories (territory_id, name, codes, source, import_id) VALUES (?,?,?,?,?)",
                       [.text(t.id), .text(t.name), .text(t.codes.joined(separator: ",")), .text(t.source), .int(importID)])
        }
        return replaced
    }
}
