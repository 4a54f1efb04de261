import PortraitGeometry

/// A coordinate transformation between two CRS, both read easting/longitude
/// first. A Sendable value: each call borrows a pooled PROJ transformer.
public struct Projection: Hashable, Sendable {
    public var source: CRS
    public var target: CRS

    public init(from source: CRS, to target: CRS) {
        self.source = source; self.target = target
    }

    /// WGS84 to Québec Lambert (EPSG:32198).
    public static let toQuebecLambert = Projection(from: .wgs84, to: .quebecLambert)
    /// Québec Lambert to WGS84.
    public static let fromQuebecLambert = Projection(from: .quebecLambert, to: .wgs84)

    /// Checks that PROJ can build this transformation (`proj_create_crs_to_crs`).
    public func validate() throws {
        try TransformerPool.shared.withTransformer(from: source, to: target) { _ in }
    }

    /// Transforms positions (`proj_trans_generic`).
    public func callAsFunction(_ positions: [Position]) throws -> [Position] {
        var out = positions
        try TransformerPool.shared.withTransformer(from: source, to: target) { try $0.transform(&out) }
        return out
    }

    public func callAsFunction(_ position: Position) throws -> Position {
        try self([position])[0]
    }

    /// Transforms every position of a geometry in one PROJ call.
    public func callAsFunction(_ geometry: Geometry) throws -> Geometry {
        var flat: [Position] = []
        flat.reserveCapacity(geometry.positionCount)
        geometry.forEachPosition { flat.append($0) }
        let out = try self(flat)
        var i = 0
        return geometry.mapPositions { _ in defer { i += 1 }; return out[i] }
    }

    /// Transforms many geometries with one borrowed transformer.
    public func callAsFunction(_ geometries: [Geometry]) throws -> [Geometry] {
        try TransformerPool.shared.withTransformer(from: source, to: target) { t in
            try geometries.map { g in
                var flat: [Position] = []
                flat.reserveCapacity(g.positionCount)
                g.forEachPosition { flat.append($0) }
                try t.transform(&flat)
                var i = 0
                return g.mapPositions { _ in defer { i += 1 }; return flat[i] }
            }
        }
    }
}

extension Geometry {
    /// Area in square metres, measured in Québec Lambert (EPSG:32198); the
    /// geometry is in WGS84.
    public func areaSquareMetres() throws -> Double {
        try Projection.toQuebecLambert(self).planarArea()
    }

    /// Length in metres, measured in Québec Lambert (EPSG:32198); the geometry is in WGS84.
    public func lengthMetres() throws -> Double {
        try Projection.toQuebecLambert(self).planarLength()
    }
}
