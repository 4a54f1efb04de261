import PortraitGeometry

/// A road network as a graph: nodes where roads meet or end, edges between them with their length and their minutes
/// in each direction (nil where the edge cannot be driven that way).
public struct RoadNetwork: Sendable {
    public struct Edge: Sendable, Hashable {
        public var from: Int
        public var to: Int
        /// Geodesic length on WGS84, metres.
        public var lengthM: Double
        public var minutesForward: Double?
        public var minutesBackward: Double?
        /// The road's class (`primary`, `residential`, `ferry`…).
        public var roadClass: String
        /// The edge's line, longitude/latitude, from `from` to `to`.
        public var points: [Position]

        public init(from: Int, to: Int, lengthM: Double, minutesForward: Double?, minutesBackward: Double?, roadClass: String, points: [Position]) {
            self.from = from; self.to = to; self.lengthM = lengthM; self.minutesForward = minutesForward
            self.minutesBackward = minutesBackward; self.roadClass = roadClass; self.points = points
        }
    }

    public var nodes: [Position]
    public var edges: [Edge]
    /// The file it was read from, and what the reading found (for the import report and every page that measures by road).
    public var source: String

    public init(nodes: [Position], edges: [Edge], source: String) {
        self.nodes = nodes; self.edges = edges; self.source = source
    }
}

/// Speeds by road class, in km/h, and how ferries count. A class missing from the table takes `otherKmh`.
public struct RoadSpeeds: Sendable, Hashable {
    public var byClass: [String: Double]
    public var otherKmh: Double
    /// A ferry crossing without its duration is driven at this speed.
    public var ferryKmh: Double
    /// Minutes added to every ferry crossing: waiting for and boarding the ship.
    public var ferryWaitMinutes: Double

    public init(byClass: [String: Double], otherKmh: Double, ferryKmh: Double = 15, ferryWaitMinutes: Double = 20) {
        self.byClass = byClass; self.otherKmh = otherKmh; self.ferryKmh = ferryKmh; self.ferryWaitMinutes = ferryWaitMinutes
    }

    public func kmh(_ roadClass: String) -> Double { byClass[roadClass] ?? otherKmh }

    /// OpenStreetMap's `highway` classes, at the speeds Quebec's Highway Safety Code sets where no sign says otherwise
    /// (Code de la sécurité routière, art. 328: 100 km/h on autoroutes, 90 on paved roads outside built-up areas,
    /// 70 on gravel roads, 50 in a city, town or village), slower on the links and the streets where one stops:
    /// motorway 100, trunk and primary 90, secondary 80, tertiary 70, unclassified 60, residential and road 50,
    /// links 50 (motorway 60), living streets 20, service roads 20. A way's own `maxspeed` (km/h, or mph) wins.
    public static let osm = RoadSpeeds(byClass: [
        "motorway": 100, "motorway_link": 60, "trunk": 90, "trunk_link": 50, "primary": 90, "primary_link": 50,
        "secondary": 80, "secondary_link": 50, "tertiary": 70, "tertiary_link": 50, "unclassified": 60,
        "residential": 50, "road": 50, "living_street": 20, "service": 20,
    ], otherKmh: 50)

    /// Adresses Québec's AQréseau+ classes (`ClsRte`), at the same Highway Safety Code speeds: Autoroute 100,
    /// Nationale 90, Régionale 90, Collectrice de transit 80, Collectrice municipale 70, Artère 50, Locale 50,
    /// Accès ressources 50 (often gravel), Rue piétonne 10.
    public static let aqreseau = RoadSpeeds(byClass: [
        "Autoroute": 100, "Nationale": 90, "Régionale": 90, "Collectrice de transit": 80, "Collectrice municipale": 70,
        "Artère": 50, "Locale": 50, "Accès ressources": 50, "Rue piétonne": 10,
    ], otherKmh: 50)
}

/// A node reached by a road search: the cost to reach it and the source (a service) it is nearest to.
public struct RoadSeed: Sendable, Hashable {
    public var node: Int
    public var cost: Double
    public var source: Int
    public init(node: Int, cost: Double, source: Int) { self.node = node; self.cost = cost; self.source = source }
}
