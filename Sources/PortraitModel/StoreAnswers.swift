import PortraitGeometry

/// The layers of a store, by what they hold. Backends map them to their own tables.
public enum StoreLayer: String, CaseIterable, Sendable {
    case regions, mrc, municipalities, coastline, services, places

    /// The layer holding the units of `level`.
    public static func of(_ level: Level) -> StoreLayer {
        switch level {
        case .region: .regions
        case .mrc: .mrc
        case .municipality: .municipalities
        }
    }
}

/// One layer or table of the store as `portrait info` describes it.
public struct LayerSummary: Codable, Sendable, Hashable {
    public var name: String
    public var kind: String
    public var geometryType: String?
    public var features: Int
    public var bbox: [Double]?
    enum CodingKeys: String, CodingKey { case name, kind, geometryType = "geometry_type", features, bbox }

    public init(name: String, kind: String, geometryType: String?, features: Int, bbox: [Double]?) {
        self.name = name; self.kind = kind; self.geometryType = geometryType; self.features = features; self.bbox = bbox
    }
}

/// Littoral/intérieur counts for one level.
public struct CoastCounts: Codable, Sendable, Hashable {
    public var littoral = 0
    public var interieur = 0
    /// Aquatic units (designation G), classified but counted apart.
    public var aquatic = 0

    public init(littoral: Int = 0, interieur: Int = 0, aquatic: Int = 0) {
        self.littoral = littoral; self.interieur = interieur; self.aquatic = aquatic
    }
}

/// The values of one indicator for one vintage at one level: territory code → cell.
public struct IndicatorValues: Sendable, Hashable {
    public var indicator: String
    public var vintage: Int
    public var values: [String: CellValue]

    public init(indicator: String, vintage: Int, values: [String: CellValue]) {
        self.indicator = indicator; self.vintage = vintage; self.values = values
    }
}

/// A stored feature met by a bounding-box query, with its row id (the vector tile feature id).
public struct Located<Value: Sendable>: Sendable {
    public var id: Int64
    public var value: Value
    public init(id: Int64, value: Value) { self.id = id; self.value = value }
}
