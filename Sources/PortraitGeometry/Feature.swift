/// A property value of a feature.
public enum PropertyValue: Hashable, Sendable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null

    public var stringValue: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): String(b)
        case .null: nil
        }
    }
}

/// A geometry with ordered properties (order is kept in output for stable files).
public struct Feature: Hashable, Sendable {
    public var id: String?
    public var geometry: Geometry?
    public var properties: [(key: String, value: PropertyValue)]

    public init(id: String? = nil, geometry: Geometry?, properties: [(key: String, value: PropertyValue)] = []) {
        self.id = id; self.geometry = geometry; self.properties = properties
    }

    public subscript(key: String) -> PropertyValue? {
        properties.first { $0.key == key }?.value
    }

    public static func == (a: Feature, b: Feature) -> Bool {
        a.id == b.id && a.geometry == b.geometry
            && a.properties.map(\.key) == b.properties.map(\.key)
            && a.properties.map(\.value) == b.properties.map(\.value)
    }

    public func hash(into h: inout Hasher) {
        h.combine(id); h.combine(geometry)
        for p in properties { h.combine(p.key); h.combine(p.value) }
    }
}

/// An ordered collection of features.
public struct FeatureCollection: Hashable, Sendable {
    public var features: [Feature]
    /// Properties of the collection itself, written as foreign members (name, attribution…).
    public var metadata: [(key: String, value: PropertyValue)]

    public init(_ features: [Feature], metadata: [(key: String, value: PropertyValue)] = []) {
        self.features = features; self.metadata = metadata
    }

    public static func == (a: FeatureCollection, b: FeatureCollection) -> Bool {
        a.features == b.features && a.metadata.map(\.key) == b.metadata.map(\.key)
            && a.metadata.map(\.value) == b.metadata.map(\.value)
    }

    public func hash(into h: inout Hasher) {
        h.combine(features)
        for p in metadata { h.combine(p.key); h.combine(p.value) }
    }

    public var bbox: BBox? {
        features.compactMap { $0.geometry?.bbox }.reduce(nil) { $0?.union($1) ?? $1 }
    }
}
