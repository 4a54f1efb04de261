import Foundation
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

    // MARK: Plans

    func tableExists(_ name: String) throws -> Bool { try session.scalar("SELECT to_regclass($1) IS NOT NULL", [.text(name)])?.int == 1 }

    public func plans() throws -> [Plan] {
        guard try tableExists("plans") else { return [] }
        return try session.query(PlanSQL.selectPlans(.postgres)).map(PlanSQL.plan)
    }

    public func planTargets(plan: String?) throws -> [PlanTarget] {
        guard try tableExists("plan_targets") else { return [] }
        return try session.query(PlanSQL.selectTargets(plan: plan != nil, .postgres), plan.map { [.text($0)] } ?? []).map(PlanSQL.target)
    }

    public func measurements(plan: String?) throws -> [TargetMeasurement] {
        guard try tableExists("plan_measurements") else { return [] }
        return try session.query(PlanSQL.selectMeasurements(plan: plan != nil, .postgres), plan.map { [.text($0)] } ?? []).map(PlanSQL.measurement)
    }

    // MARK: Roads

    public func roadNetworkName() throws -> String? {
        guard try tableExists("road_networks"), let meta = try session.query(RoadSQL.selectNetwork).first else { return nil }
        return RoadSQL.networkName(source: meta[0].text ?? "", vintage: meta[1].int)
    }

    public func roadNetwork() throws -> (network: RoadNetwork, vintage: Int?, report: String?)? {
        guard try tableExists("road_networks"), let meta = try session.query(RoadSQL.selectNetwork).first else { return nil }
        let nodes = try session.query(RoadSQL.selectNodes).map { Position($0[1].double ?? 0, $0[2].double ?? 0) }
        let edges = try session.query(RoadSQL.selectEdges).map(RoadSQL.edge)
        return (RoadNetwork(nodes: nodes, edges: edges, source: meta[0].text ?? ""), meta[1].int, meta[2].text)
    }

    /// pgRouting's multi-source Dijkstra (`pgr_drivingDistance` with `equicost`: each node to its nearest source) over
    /// the stored edges reversed (towards the sources), each seed a virtual vertex joined to its node by an edge of its cost.
    public func roadSearch(seeds: [RoadSeed], byDistance: Bool) throws -> [Int: RoadSeed]? {
        guard try tableExists("road_edges") else { return nil }
        return try transaction {
            if try session.scalar("SELECT count(*) FROM pg_extension WHERE extname = 'pgrouting'")?.int == 0 {
                do { try session.run("CREATE EXTENSION pgrouting") } catch {
                    throw StoreError(path: location, function: "pgRouting",
                                     message: "pgRouting absent de la base : installez postgresql-15-pgrouting, puis CREATE EXTENSION pgrouting (\(error))",
                                     kind: .unavailable, library: "PostgreSQL")
                }
            }
            let nodeBase = try session.scalar("SELECT coalesce(max(node_id), -1) + 1 FROM road_nodes")?.int ?? 0
            let edgeBase = try session.scalar("SELECT coalesce(max(edge_id), -1) + 1 FROM road_edges")?.int ?? 0
            try session.run("CREATE TEMP TABLE portrait_road_seeds (id bigint, source bigint, target bigint, cost double precision, reverse_cost double precision) ON COMMIT DROP")
            try session.copy(into: "portrait_road_seeds", columns: ["id", "source", "target", "cost", "reverse_cost"],
                             rows: seeds.enumerated().map { i, s in
                                 [.int(Int64(edgeBase + i)), .int(Int64(nodeBase + s.source)), .int(Int64(s.node)), .double(s.cost), .double(-1)]
                             })
            // Reversed: an edge driven u → v is searched v → u, so that a node's cost is that of driving from it to a source.
            let forward = byDistance ? "CASE WHEN minutes_forward IS NULL THEN -1 ELSE length_m END" : "coalesce(minutes_forward, -1)"
            let backward = byDistance ? "CASE WHEN minutes_backward IS NULL THEN -1 ELSE length_m END" : "coalesce(minutes_backward, -1)"
            let edges = "SELECT edge_id AS id, target AS source, source AS target, \(forward) AS cost, \(backward) AS reverse_cost FROM road_edges "
                + "UNION ALL SELECT id, source, target, cost, reverse_cost FROM portrait_road_seeds"
            let rows = try session.query(
                "SELECT node, from_v, agg_cost FROM pgr_drivingDistance($1, ARRAY(SELECT DISTINCT source FROM portrait_road_seeds), 1e15, true, true) WHERE node < $2",
                [.text(edges), .int(Int64(nodeBase))])
            var out: [Int: RoadSeed] = [:]
            for r in rows {
                guard let node = r[0].int, let from = r[1].int, let cost = r[2].double else { continue }
                out[node] = RoadSeed(node: node, cost: cost, source: from - nodeBase)
            }
            return out
        }
    }

    @discardableResult
    public func replaceRoadNetwork(_ network: RoadNetwork, vintage: Int?, report: String, importID: Int64) throws -> Int {
        try write("roads") {
            let replaced = try session.scalar("SELECT count(*) FROM road_edges")?.int ?? 0
            for t in RoadSQL.names { try session.run("DELETE FROM \(t)") }
            try session.run(RoadSQL.insert("road_networks", .postgres), [.text(network.source), vintage.map { .int(Int64($0)) } ?? .null, .text(report), .int(importID)])
            try session.copy(into: "road_nodes", columns: RoadSQL.tables[1].columns.map(\.0),
                             rows: network.nodes.enumerated().map { RoadSQL.nodeRow($0.offset, $0.element, importID: importID) })
            // A bytea column in COPY's text format takes its hex form, `\x…` (a bare hex string would be read as the text's own bytes).
            try session.copy(into: "road_edges", columns: RoadSQL.tables[2].columns.map(\.0),
                             rows: network.edges.enumerated().map { i, e in RoadSQL.edgeRow(i, e, importID: importID).map(Self.copyValue) })
            return replaced
        }
    }

    @discardableResult
    public func savePlans(_ plans: [Plan], targets: [PlanTarget], importID: Int64) throws -> Int {
        try write("plans") {
            var replaced = 0
            for p in plans {
                replaced += try session.run(PlanSQL.deletePlan(.postgres), [.text(p.id)]) > 0 ? 1 : 0
                try session.run(PlanSQL.deleteTargets(.postgres), [.text(p.id)])
                try session.run(PlanSQL.insert("plans", .postgres), PlanSQL.values(p, importID: importID))
            }
            for t in targets { try session.run(PlanSQL.insert("plan_targets", .postgres), PlanSQL.values(t, importID: importID)) }
            return replaced
        }
    }

    @discardableResult
    public func saveMeasurements(_ list: [TargetMeasurement], importID: Int64) throws -> Int {
        try write("plans") {
            var replaced = 0
            for m in list {
                replaced += try session.run(PlanSQL.deleteMeasurement(.postgres), [.text(m.targetID), .text(m.territory), .text(m.date)]) > 0 ? 1 : 0
                try session.run(PlanSQL.insert("plan_measurements", .postgres), PlanSQL.values(m, importID: importID))
            }
            return replaced
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
