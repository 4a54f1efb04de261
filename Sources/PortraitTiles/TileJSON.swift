import PortraitModel

/// A TileJSON 3.0.0 document (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0).
public struct TileJSON: Encodable, Sendable {
    public struct VectorLayer: Encodable, Sendable {
        public var id: String
        public var fields: [String: String]
        public var minzoom = 0
        public var maxzoom = 14
        public init(id: String, fields: [String: String]) { self.id = id; self.fields = fields }
    }

    public var tilejson = "3.0.0"
    public var name: String
    public var scheme = "xyz"
    public var minzoom = 0
    public var maxzoom = 14
    /// WGS84 [west, south, east, north].
    public var bounds: [Double]
    /// [longitude, latitude, zoom].
    public var center: [Double]
    public var tiles: [String]
    public var attribution = "MRNF (SDA, CC-BY 4.0) ; données importées dans Portrait"
    public var vectorLayers: [VectorLayer]

    enum CodingKeys: String, CodingKey {
        case tilejson, name, scheme, minzoom, maxzoom, bounds, center, tiles, attribution, vectorLayers = "vector_layers"
    }

    public init(name: String, bounds: [Double], tiles: [String], vectorLayers: [VectorLayer]) {
        self.name = name; self.bounds = bounds; self.tiles = tiles; self.vectorLayers = vectorLayers
        center = [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 7]
    }
}

extension TileLayer {
    /// The store layer whose extent bounds the tiles.
    public var extentLayer: StoreLayer {
        switch self {
        case .municipalities, .mobilisations, .gaps: .municipalities
        case .mrc: .mrc
        case .regions: .regions
        case .coastline: .coastline
        case .services: .services
        }
    }
}
