/// A coordinate reference system, as any definition PROJ accepts
/// ("EPSG:32198", WKT, a PROJ string).
public struct CRS: Hashable, Sendable, CustomStringConvertible {
    public var definition: String
    public init(_ definition: String) { self.definition = definition }

    /// WGS84 longitude/latitude: the storage and GeoJSON CRS.
    public static let wgs84 = CRS("EPSG:4326")
    /// NAD83 / Québec Lambert: the CRS for areas, lengths and distances in metres.
    public static let quebecLambert = CRS("EPSG:32198")

    public var description: String {
        definition.count > 60 ? String(definition.prefix(57)) + "…" : definition
    }
}
