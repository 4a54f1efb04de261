import PortraitGeometry

/// A region, MRC or municipality as kept in the store (geometry in WGS84).
public struct TerritorialUnit: Hashable, Sendable {
    public var level: Level
    public var code: String
    public var name: String
    /// SDA designation (`MUS_CO_DES`), municipalities only.
    public var designation: String?
    public var mrcCode: String?
    public var regionCode: String?
    /// Area in km², measured in Québec Lambert (EPSG:32198).
    public var areaKm2: Double
    public var coastClass: CoastClass?
    public var geometry: MultiPolygon

    public init(level: Level, code: String, name: String, designation: String? = nil, mrcCode: String? = nil,
                regionCode: String? = nil, areaKm2: Double, coastClass: CoastClass? = nil, geometry: MultiPolygon) {
        self.level = level; self.code = code; self.name = name; self.designation = designation
        self.mrcCode = mrcCode; self.regionCode = regionCode; self.areaKm2 = areaKm2
        self.coastClass = coastClass; self.geometry = geometry
    }

    /// TNO aquatique (designation G): kept, flagged, never counted as a municipality.
    public var isAquatic: Bool { designation == Designation.aquatic }
}
