import PortraitGeometry

/// One service point as stored.
public struct Service: Hashable, Sendable {
    public var category: String
    public var name: String
    public var address: String?
    public var municipalityCode: String?
    public var capacity: Double?
    public var source: String
    public var vintage: Int?
    /// WGS84.
    public var position: Position

    public init(category: String, name: String, address: String? = nil, municipalityCode: String? = nil, capacity: Double? = nil,
                source: String, vintage: Int? = nil, position: Position) {
        self.category = category; self.name = name; self.address = address; self.municipalityCode = municipalityCode
        self.capacity = capacity; self.source = source; self.vintage = vintage; self.position = position
    }
}

/// An inhabited place (town, village, hamlet): where people live, for access distances.
public struct Place: Hashable, Sendable {
    public var name: String
    public var municipalityCode: String?
    public var source: String
    /// WGS84.
    public var position: Position

    public init(name: String, municipalityCode: String?, source: String, position: Position) {
        self.name = name; self.municipalityCode = municipalityCode; self.source = source; self.position = position
    }
}
