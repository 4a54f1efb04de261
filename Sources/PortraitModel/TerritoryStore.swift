import PortraitGeometry

/// The one door to a Portrait store. The domain, the importers, the renderer,
/// the tiles, the server and the CLI ask it for typed answers; the SQL (and
/// the schema) live in the backends only: `GeoPackageStore` today, a
/// PostgreSQL/PostGIS backend next, each implementing this protocol.
///
/// A store owns a connection: it is not `Sendable`. Open one per task or
/// request (`Stores.open`). Geometries are in WGS84 longitude/latitude.
public protocol TerritoryStore: AnyObject {
    /// Where the store is, as given (a file path for a GeoPackage).
    var location: String { get }

    /// Runs `body` in one transaction: all of it lands, or none.
    func transaction<R>(_ body: () throws -> R) throws -> R

    /// Something that changes whenever an import commits (for caches).
    func changeStamp() throws -> String

    // MARK: Units

    /// Every unit of a level, ordered by code; `withGeometry: false` skips decoding geometries.
    func units(_ level: Level, withGeometry: Bool) throws -> [TerritorialUnit]
    /// One unit by its normalised code.
    func unit(_ level: Level, code: String) throws -> TerritorialUnit?
    /// The municipal units (aquatic ones included) of a territory, ordered by code: a region's, an MRC's, one
    /// municipality, every one (`all`), a custom territory's members (an unknown stored one: not found).
    func municipalities(in territory: Territory, withGeometry: Bool) throws -> [TerritorialUnit]
    /// Units whose envelope meets `box`, with their row ids.
    func units(_ level: Level, intersecting box: BBox) throws -> [Located<TerritorialUnit>]
    func count(_ level: Level) throws -> Int
    /// Municipal units by SDA designation ("" for none).
    func designationCounts() throws -> [String: Int]
    /// Classified units of a level by coast class, aquatic units apart.
    func coastCounts(_ level: Level) throws -> CoastCounts

    /// Inserts or replaces (by code) one unit; true when it replaced one.
    @discardableResult func upsert(_ unit: TerritorialUnit, importID: Int64) throws -> Bool
    /// Fills each municipality's region from its MRC's; returns how many were filled.
    func fillRegionsFromMRC() throws -> Int
    /// Units of `level` with no code for their `parent` level.
    func unitsWithoutParent(_ level: Level, parent: Level) throws -> [TerritorialUnit]
    /// Sets the parents a unit lacks (existing codes are kept).
    func setParents(_ level: Level, code: String, mrc: String?, region: String?) throws
    /// Parent codes named by children but absent from a loaded parent layer ("MRC 12", "région 42").
    func unknownParents() throws -> [String]
    func setCoastClass(_ level: Level, code: String, _ coastClass: CoastClass) throws

    // MARK: Coastline

    func coastline() throws -> [LineString]
    func coastline(intersecting box: BBox) throws -> [Located<LineString>]
    func coastlineCount() throws -> Int
    /// Replaces the whole coastline; returns how many lines were replaced.
    @discardableResult func replaceCoastline(_ lines: [LineString], source: String, importID: Int64) throws -> Int

    // MARK: Indicators

    func indicatorDefinitions() throws -> [IndicatorDefinition]
    /// Vintages of an indicator, newest first.
    func vintages(_ indicator: String) throws -> [Int]
    func indicatorValues(_ indicator: String, vintage: Int, level: Level) throws -> [String: CellValue]
    /// The files (sources) the values of an indicator and vintage came from.
    func indicatorSources(_ indicator: String, vintage: Int) throws -> [String]
    /// Replaces the values of one indicator, vintage and level; returns how many were replaced.
    @discardableResult
    func replaceIndicatorValues(_ definition: IndicatorDefinition, vintage: Int, level: Level,
                                values: [(code: String, value: CellValue)], source: String, importID: Int64) throws -> Int
    func saveJoinReport(importID: Int64, json: String) throws
    func joinReport(importID: Int64) throws -> String?

    // MARK: Services and places

    /// Services of a category (all when nil), in import order.
    func services(category: String?) throws -> [Service]
    /// Services of a category (all when nil) located in the municipalities of a territory.
    func services(category: String?, in territory: Territory) throws -> [Service]
    func services(intersecting box: BBox) throws -> [Located<Service>]
    func serviceCategories() throws -> [String]
    /// Replaces one category; returns how many services were replaced.
    @discardableResult func replaceServices(category: String, _ services: [Service], importID: Int64) throws -> Int
    func places() throws -> [Place]
    @discardableResult func replacePlaces(_ places: [Place], importID: Int64) throws -> Int

    // MARK: Mobilisations

    func mobilisations() throws -> [Mobilisation]
    func mobilisationExists(_ id: String) throws -> Bool
    /// Inserts or replaces (by id); returns how many were replaced.
    @discardableResult func saveMobilisations(_ mobilisations: [Mobilisation], importID: Int64) throws -> Int

    // MARK: Plans (action plans, their targets and measurements)
    func plans() throws -> [Plan]
    /// A plan's targets in plan order (every plan's when nil).
    func planTargets(plan: String?) throws -> [PlanTarget]
    /// The recorded measurements of a plan's targets (every plan's when nil), by target, territory and date.
    func measurements(plan: String?) throws -> [TargetMeasurement]
    /// Replaces each plan and its targets (the measurements stay: they name targets by id). Returns the plans replaced.
    @discardableResult func savePlans(_ plans: [Plan], targets: [PlanTarget], importID: Int64) throws -> Int
    /// Adds measurements; one of the same target, territory and date replaces the former. Returns how many were replaced.
    @discardableResult func saveMeasurements(_ measurements: [TargetMeasurement], importID: Int64) throws -> Int

    // MARK: Custom territories

    /// Every stored custom territory, ordered by identifier.
    /// The road network imported (`portrait import roads`), its source, vintage and import report; nil when there is none.
    func roadNetwork() throws -> (network: RoadNetwork, vintage: Int?, report: String?)?
    /// The imported road network's name as the pages state it (« SOURCE, millésime »), without reading the network;
    /// nil when there is none.
    func roadNetworkName() throws -> String?
    /// A multi-source shortest-path search over the stored road network, run by the database where it can (pgRouting on
    /// PostGIS): from each seed (a node, the cost already spent to reach it, the source it stands for), over the roads
    /// taken towards the sources (each edge backwards), by minutes or by metres; the best cost and source of every node
    /// reached. Nil when the backend leaves the search to Portrait (the GeoPackage).
    func roadSearch(seeds: [RoadSeed], byDistance: Bool) throws -> [Int: RoadSeed]?
    /// Replaces the road network; returns the number of edges replaced.
    @discardableResult func replaceRoadNetwork(_ network: RoadNetwork, vintage: Int?, report: String, importID: Int64) throws -> Int

    func customTerritories() throws -> [CustomTerritory]
    /// Inserts or replaces (by identifier) custom territories; returns how many were replaced.
    @discardableResult func saveCustomTerritories(_ territories: [CustomTerritory], importID: Int64) throws -> Int

    // MARK: Layers and the imports log

    /// The extent of a layer, in WGS84.
    func extent(_ layer: StoreLayer) throws -> BBox?
    /// Every layer and table, with its feature count and extent.
    func layerSummaries() throws -> [LayerSummary]
    /// Recomputes the recorded extents after a write.
    func refreshExtents() throws
    /// True when the store holds the fictional demo territory.
    func isDemo() throws -> Bool
    /// Starts an entry in the imports log; returns its id.
    func logImport(_ entry: ImportLogEntry) throws -> Int64
    func updateImport(_ id: Int64, _ entry: ImportLogEntry) throws
    /// The most recent entries, newest first.
    func imports(limit: Int) throws -> [ImportLogEntry]
    /// The newest entry of a kind ("classify-coast", "boundaries"…).
    func lastImport(kind: String) throws -> ImportLogEntry?

    // MARK: Layers for GIS clients

    /// Rewrites a layer made for GIS clients (`portrait_municipalites`: the municipalities with each indicator's
    /// latest value as a column), whole, in one transaction.
    func replaceGISLayer(_ layer: GISLayer) throws
    /// Replaces the styles QGIS reads (`layer_styles`) of the given tables, in one transaction.
    func replaceLayerStyles(_ styles: [LayerStyle], tables: [String]) throws
    /// The stored styles, ordered by table and name.
    func layerStyles() throws -> [LayerStyle]
}

/// A features table written whole for GIS clients: typed columns, one geometry a row (WGS84).
public struct GISLayer: Sendable {
    public enum ColumnType: String, Sendable { case text, real, integer }
    public var name: String
    /// `MULTIPOLYGON`, `POINT`…
    public var geometryType: String
    public var description: String
    public var columns: [(name: String, type: ColumnType)]
    public var rows: [(geometry: Geometry, values: [PropertyValue])]

    public init(name: String, geometryType: String, description: String, columns: [(name: String, type: ColumnType)],
                rows: [(geometry: Geometry, values: [PropertyValue])]) {
        self.name = name; self.geometryType = geometryType; self.description = description; self.columns = columns; self.rows = rows
    }
}

/// A row of QGIS's `layer_styles` table: the style of a layer, in QML (QGIS) and SLD (other clients).
public struct LayerStyle: Sendable, Hashable {
    public var table: String
    public var geometryColumn: String
    public var name: String
    public var qml: String
    public var sld: String
    public var isDefault: Bool
    public var description: String

    public init(table: String, geometryColumn: String = "geom", name: String, qml: String, sld: String, isDefault: Bool, description: String) {
        self.table = table; self.geometryColumn = geometryColumn; self.name = name; self.qml = qml; self.sld = sld
        self.isDefault = isDefault; self.description = description
    }
}

extension TerritoryStore {
    /// One import's write of `count` records, in one transaction: logs `entry`, runs `save` with its id (it returns how
    /// many stored records it replaced), counts the rest as inserted and updates the log. `entry` comes back with its
    /// id and counts.
    public func logged(_ entry: inout ImportLogEntry, count: Int, _ save: (Int64) throws -> Int) throws {
        try transaction {
            let id = try logImport(entry)
            entry.id = id
            entry.replaced = try save(id)
            entry.inserted = count - entry.replaced
            try updateImport(id, entry)
        }
    }

    /// Municipal values of an indicator and vintage.
    public func indicatorValues(_ indicator: String, vintage: Int) throws -> [String: CellValue] {
        try indicatorValues(indicator, vintage: vintage, level: .municipality)
    }

    /// Every unit of a level, with geometries.
    public func units(_ level: Level) throws -> [TerritorialUnit] { try units(level, withGeometry: true) }
    public func roadSearch(seeds: [RoadSeed], byDistance: Bool) throws -> [Int: RoadSeed]? { nil }

    /// The newest vintage of an indicator at a level, or nil when it has none.
    public func latestValues(_ indicator: String, level: Level = .municipality) throws -> IndicatorValues? {
        guard let v = try vintages(indicator).first else { return nil }
        return IndicatorValues(indicator: indicator, vintage: v, values: try indicatorValues(indicator, vintage: v, level: level))
    }

    /// The name of a territory: its unit's when its layer is imported, else "Région 01" / "MRC 10"; a stored
    /// custom territory's own name.
    public func name(of territory: Territory) throws -> String {
        switch territory.kind {
        case .all: return territory.fallbackName
        case .custom:
            guard territory.codes == nil else { return territory.fallbackName }
            return try customTerritory(territory.code).name
        default: return try unit(territory.level!, code: territory.code)?.name ?? territory.fallbackName
        }
    }

    /// The stored custom territory of that identifier; not found (naming the stored ones) otherwise.
    public func customTerritory(_ id: String) throws -> CustomTerritory {
        let all = try customTerritories()
        guard let t = all.first(where: { $0.id == id }) else {
            throw TerritoryError.notFound("territoire personnalisé « \(id) » inconnu ; "
                + (all.isEmpty ? "aucun n'est importé (portrait import territories FICHIER.csv)"
                   : "présents : \(all.map(\.id).joined(separator: ", "))"))
        }
        return t
    }

    /// The municipal codes of a custom territory (inline or stored); nil for the other kinds.
    public func members(of territory: Territory) throws -> [String]? {
        guard territory.kind == .custom else { return nil }
        return try territory.codes ?? customTerritory(territory.code).codes
    }
}
