/// A planar position: `x` is longitude or easting, `y` latitude or northing.
public struct Position: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// A single point.
public struct Point: Hashable, Sendable {
    public var position: Position
    public init(_ position: Position) { self.position = position }
    public init(x: Double, y: Double) { self.position = Position(x, y) }
}

/// A sequence of two or more positions.
public struct LineString: Hashable, Sendable {
    public var positions: [Position]
    public init(_ positions: [Position]) { self.positions = positions }
}

/// A closed ring of a polygon: four or more positions, first equal to last.
/// The initialiser does not check; `Geometry.checkRings()` does, so that
/// an importer can name the feature at fault.
public struct LinearRing: Hashable, Sendable {
    public var positions: [Position]
    public init(_ positions: [Position]) { self.positions = positions }

    public var isClosed: Bool { positions.count > 0 && positions.first == positions.last }

    /// Twice the signed area (shoelace): positive when counter-clockwise.
    public var signedDoubleArea: Double {
        guard positions.count > 2 else { return 0 }
        var sum = 0.0
        for i in 0..<(positions.count - 1) {
            let a = positions[i], b = positions[i + 1]
            sum += a.x * b.y - b.x * a.y
        }
        return sum
    }
}

/// A polygon: an exterior ring followed by zero or more holes.
public struct Polygon: Hashable, Sendable {
    public var rings: [LinearRing]
    public init(_ rings: [LinearRing]) { self.rings = rings }
    public init(exterior: [Position], holes: [[Position]] = []) {
        self.rings = [LinearRing(exterior)] + holes.map(LinearRing.init)
    }
    public var exterior: LinearRing? { rings.first }
}

public struct MultiPoint: Hashable, Sendable {
    public var points: [Position]
    public init(_ points: [Position]) { self.points = points }
}

public struct MultiLineString: Hashable, Sendable {
    public var lineStrings: [LineString]
    public init(_ lineStrings: [LineString]) { self.lineStrings = lineStrings }
}

public struct MultiPolygon: Hashable, Sendable {
    public var polygons: [Polygon]
    public init(_ polygons: [Polygon]) { self.polygons = polygons }
}

/// Any simple-features geometry, two-dimensional.
public indirect enum Geometry: Hashable, Sendable {
    case point(Point)
    case lineString(LineString)
    case polygon(Polygon)
    case multiPoint(MultiPoint)
    case multiLineString(MultiLineString)
    case multiPolygon(MultiPolygon)
    case geometryCollection([Geometry])

    /// The OGC type name (`MultiPolygon`, …).
    public var typeName: String {
        switch self {
        case .point: "Point"
        case .lineString: "LineString"
        case .polygon: "Polygon"
        case .multiPoint: "MultiPoint"
        case .multiLineString: "MultiLineString"
        case .multiPolygon: "MultiPolygon"
        case .geometryCollection: "GeometryCollection"
        }
    }

    public var isEmpty: Bool {
        switch self {
        case .point(let p): p.position.x.isNaN
        case .lineString(let l): l.positions.isEmpty
        case .polygon(let p): p.rings.isEmpty
        case .multiPoint(let m): m.points.isEmpty
        case .multiLineString(let m): m.lineStrings.isEmpty
        case .multiPolygon(let m): m.polygons.isEmpty
        case .geometryCollection(let g): g.allSatisfy(\.isEmpty)
        }
    }

    /// True for Polygon and MultiPolygon.
    public var isPolygonal: Bool {
        switch self {
        case .polygon, .multiPolygon: true
        default: false
        }
    }

    /// True for LineString and MultiLineString.
    public var isLineal: Bool {
        switch self {
        case .lineString, .multiLineString: true
        default: false
        }
    }

    /// Every position, in order.
    public var positionCount: Int {
        var n = 0
        forEachPosition { _ in n += 1 }
        return n
    }

    /// Calls `body` for every position, in storage order.
    public func forEachPosition(_ body: (Position) -> Void) {
        switch self {
        case .point(let p): body(p.position)
        case .lineString(let l): l.positions.forEach(body)
        case .polygon(let p): p.rings.forEach { $0.positions.forEach(body) }
        case .multiPoint(let m): m.points.forEach(body)
        case .multiLineString(let m): m.lineStrings.forEach { $0.positions.forEach(body) }
        case .multiPolygon(let m): m.polygons.forEach { $0.rings.forEach { $0.positions.forEach(body) } }
        case .geometryCollection(let g): g.forEach { $0.forEachPosition(body) }
        }
    }

    /// A copy with every position transformed by `transform`.
    public func mapPositions(_ transform: (Position) throws -> Position) rethrows -> Geometry {
        func ring(_ r: LinearRing) throws -> LinearRing { LinearRing(try r.positions.map(transform)) }
        func poly(_ p: Polygon) throws -> Polygon { Polygon(try p.rings.map(ring)) }
        switch self {
        case .point(let p): return .point(Point(try transform(p.position)))
        case .lineString(let l): return .lineString(LineString(try l.positions.map(transform)))
        case .polygon(let p): return .polygon(try poly(p))
        case .multiPoint(let m): return .multiPoint(MultiPoint(try m.points.map(transform)))
        case .multiLineString(let m):
            return .multiLineString(MultiLineString(try m.lineStrings.map { LineString(try $0.positions.map(transform)) }))
        case .multiPolygon(let m): return .multiPolygon(MultiPolygon(try m.polygons.map(poly)))
        case .geometryCollection(let g): return .geometryCollection(try g.map { try $0.mapPositions(transform) })
        }
    }

    /// The polygons of a polygonal geometry (or of the polygonal members of a collection).
    public var polygons: [Polygon] {
        switch self {
        case .polygon(let p): [p]
        case .multiPolygon(let m): m.polygons
        case .geometryCollection(let g): g.flatMap(\.polygons)
        default: []
        }
    }

    /// The line strings of a lineal geometry (or of the lineal members of a collection).
    public var lineStrings: [LineString] {
        switch self {
        case .lineString(let l): [l]
        case .multiLineString(let m): m.lineStrings
        case .geometryCollection(let g): g.flatMap(\.lineStrings)
        default: []
        }
    }

    /// The polygonal part as a MultiPolygon (empty when there is none).
    public var asMultiPolygon: MultiPolygon { MultiPolygon(polygons) }

    /// Polygon rings as line strings (the boundary), lines as themselves.
    public var boundaryLines: [LineString] {
        polygons.flatMap { $0.rings.map { LineString($0.positions) } } + lineStrings
    }
}
