/// An axis-aligned bounding box.
public struct BBox: Hashable, Sendable, CustomStringConvertible {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }

    /// The box around `positions`, or nil when there are none.
    public init?<S: Sequence>(positions: S) where S.Element == Position {
        var it = positions.makeIterator()
        guard let first = it.next() else { return nil }
        var b = BBox(minX: first.x, minY: first.y, maxX: first.x, maxY: first.y)
        while let p = it.next() { b.extend(p) }
        self = b
    }

    public mutating func extend(_ p: Position) {
        if p.x < minX { minX = p.x }
        if p.x > maxX { maxX = p.x }
        if p.y < minY { minY = p.y }
        if p.y > maxY { maxY = p.y }
    }

    public func union(_ other: BBox) -> BBox {
        BBox(minX: min(minX, other.minX), minY: min(minY, other.minY),
             maxX: max(maxX, other.maxX), maxY: max(maxY, other.maxY))
    }

    public func intersects(_ other: BBox) -> Bool {
        minX <= other.maxX && other.minX <= maxX && minY <= other.maxY && other.minY <= maxY
    }

    public func contains(_ p: Position) -> Bool {
        p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY
    }

    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }
    public var asArray: [Double] { [minX, minY, maxX, maxY] }

    public var description: String { "[\(minX), \(minY), \(maxX), \(maxY)]" }
}

extension Geometry {
    /// The bounding box, or nil for an empty geometry.
    public var bbox: BBox? {
        var box: BBox?
        forEachPosition { p in
            if box == nil { box = BBox(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y) } else { box!.extend(p) }
        }
        return box
    }
}
