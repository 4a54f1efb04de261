import Foundation

/// A uniform grid over items in a plane (points, or segments by their boxes), stored compactly (one array of offsets,
/// one of items): the items near a point are found cell by cell, in rings of cells around it.
///
/// Pure Swift and immutable, so Sendable: one grid is read by many threads at once. It serves the straight-line
/// nearest service (points in EPSG:32198 metres) and the snapping of places and services onto a road network
/// (segments in degrees, longitudes scaled by one cosine).
public struct GridIndex: Sendable {
    /// An item's extent in the plane.
    public struct Box: Sendable {
        public var minX: Double, minY: Double, maxX: Double, maxY: Double
        public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
            self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
        }
        public init(point x: Double, _ y: Double) { self.init(minX: x, minY: y, maxX: x, maxY: y) }
    }

    @usableFromInline let originX: Double
    @usableFromInline let originY: Double
    /// The side of a cell, in plane units.
    public let cell: Double
    @usableFromInline let columns: Int
    @usableFromInline let rows: Int
    /// Items of cell c are `items[start[c]..<start[c + 1]]`, cells row by row.
    @usableFromInline let start: [Int32]
    @usableFromInline let items: [Int32]
    /// The largest number of cells a grid holds; a wider extent gets wider cells.
    public static let maxCells = 4_000_000

    /// Builds the grid with cells of about `cell` units (wider when the extent would need more than `maxCells`); with
    /// no `cell`, about one item per cell over the items' extent.
    public init(_ boxes: [Box], cell requested: Double? = nil) {
        precondition(boxes.count < Int(Int32.max), "GridIndex: too many items")
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for b in boxes {
            minX = min(minX, b.minX); minY = min(minY, b.minY); maxX = max(maxX, b.maxX); maxY = max(maxY, b.maxY)
        }
        if boxes.isEmpty { minX = 0; minY = 0; maxX = 0; maxY = 0 }
        let w = max(maxX - minX, 0), h = max(maxY - minY, 0)
        var side = requested ?? (w * h > 0 ? (w * h / Double(max(boxes.count, 1))).squareRoot() : max(w, h, 1) / Double(max(boxes.count, 1)))
        if !(side > 0) || !side.isFinite { side = 1 }
        // Never more than maxCells cells.
        while (w / side + 1) * (h / side + 1) > Double(Self.maxCells) { side *= 1.5 }
        let columns = Int(w / side) + 1, rows = Int(h / side) + 1
        originX = minX; originY = minY; cell = side
        self.columns = columns; self.rows = rows
        // Counting pass, then filling pass.
        var count = [Int32](repeating: 0, count: columns * rows + 1)
        func range(_ b: Box) -> (Int, Int, Int, Int) {
            (Swift.min(columns - 1, Int((b.minX - minX) / side)), Swift.min(columns - 1, Int((b.maxX - minX) / side)),
             Swift.min(rows - 1, Int((b.minY - minY) / side)), Swift.min(rows - 1, Int((b.maxY - minY) / side)))
        }
        for b in boxes {
            let (x0, x1, y0, y1) = range(b)
            for y in y0...y1 { for x in x0...x1 { count[y * columns + x + 1] += 1 } }
        }
        for i in 1..<count.count { count[i] += count[i - 1] }
        var fill = count
        var items = [Int32](repeating: 0, count: Int(count[count.count - 1]))
        for (i, b) in boxes.enumerated() {
            let (x0, x1, y0, y1) = range(b)
            for y in y0...y1 {
                for x in x0...x1 {
                    let c = y * columns + x
                    items[Int(fill[c])] = Int32(i); fill[c] += 1
                }
            }
        }
        start = count
        self.items = items
    }

    public var isEmpty: Bool { items.isEmpty }

    /// The item nearest to (x, y) by `distance` (called with an item's index, returning its distance from the query),
    /// or nil when there is none within `maxRings` rings. `perCell` is a lower bound of `distance` per cell of plane
    /// (the cell's side in `distance`'s unit): an item in the r-th ring of cells is at least (r − 1) × `perCell` away,
    /// which ends the search. With `squared`, `distance` returns squared distances (and so does the answer). Equal
    /// distances go to the lowest index, whatever the order of the cells.
    @inlinable
    public func nearest(x: Double, y: Double, perCell: Double? = nil, maxRings: Int = .max, squared: Bool = false,
                        distance: (Int) -> Double) -> (item: Int, distance: Double)? {
        guard !items.isEmpty else { return nil }
        let step = perCell ?? cell
        let fx = (x - originX) / cell, fy = (y - originY) / cell
        // The query's cell, which may lie outside the grid (clamped far away, so that the ring arithmetic stays in Int).
        let cx = Int(Swift.max(-1e9, Swift.min(1e9, fx.rounded(.down)))), cy = Int(Swift.max(-1e9, Swift.min(1e9, fy.rounded(.down))))
        // The last ring that still meets the grid.
        let lastRing = Swift.max(Swift.abs(cx), Swift.abs(cx - (columns - 1)), Swift.abs(cy), Swift.abs(cy - (rows - 1)))
        var bestItem = -1, bestDistance = Double.infinity
        @inline(__always) func visit(_ gx: Int, _ gy: Int) {
            guard gx >= 0, gx < columns, gy >= 0, gy < rows else { return }
            let c = gy * columns + gx
            var k = Int(start[c])
            let end = Int(start[c + 1])
            while k < end {
                let i = Int(items[k])
                let d = distance(i)
                if d < bestDistance || (d == bestDistance && i < bestItem) { bestDistance = d; bestItem = i }
                k += 1
            }
        }
        // The rings before the first that meets the grid hold nothing (a query far outside starts there).
        var ring = Swift.max(0, -cx, cx - (columns - 1), -cy, cy - (rows - 1))
        while ring <= Swift.min(lastRing, maxRings) {
            if ring == 0 {
                visit(cx, cy)
            } else {
                // The ring's rows (top and bottom) when they meet the grid, then its columns.
                let x0 = Swift.max(cx - ring, 0), x1 = Swift.min(cx + ring, columns - 1)
                if x0 <= x1 {
                    if cy - ring >= 0, cy - ring < rows { for gx in x0...x1 { visit(gx, cy - ring) } }
                    if cy + ring >= 0, cy + ring < rows { for gx in x0...x1 { visit(gx, cy + ring) } }
                }
                let y0 = Swift.max(cy - ring + 1, 0), y1 = Swift.min(cy + ring - 1, rows - 1)
                if y0 <= y1 {
                    if cx - ring >= 0, cx - ring < columns { for gy in y0...y1 { visit(cx - ring, gy) } }
                    if cx + ring >= 0, cx + ring < columns { for gy in y0...y1 { visit(cx + ring, gy) } }
                }
            }
            // Every item not yet seen lies in ring + 1 or beyond: at least ring × step away.
            let reach = Double(ring) * step
            if bestItem >= 0, bestDistance <= (squared ? reach * reach : reach) { break }
            ring += 1
        }
        return bestItem >= 0 ? (bestItem, bestDistance) : nil
    }

    /// Calls `body` with every item whose cells meet the box (an item may come more than once when its box spans
    /// several cells; points come once).
    @inlinable
    public func forEach(in box: Box, _ body: (Int) -> Void) {
        guard !items.isEmpty else { return }
        let x0 = Swift.max(0, Int(Swift.max(-1, ((box.minX - originX) / cell).rounded(.down))))
        let x1 = Swift.min(columns - 1, Int(Swift.min(Double(columns), ((box.maxX - originX) / cell).rounded(.down))))
        let y0 = Swift.max(0, Int(Swift.max(-1, ((box.minY - originY) / cell).rounded(.down))))
        let y1 = Swift.min(rows - 1, Int(Swift.min(Double(rows), ((box.maxY - originY) / cell).rounded(.down))))
        guard x0 <= x1, y0 <= y1 else { return }
        for gy in y0...y1 {
            for gx in x0...x1 {
                let c = gy * columns + gx
                for k in Int(start[c])..<Int(start[c + 1]) { body(Int(items[k])) }
            }
        }
    }
}

/// The nearest of a set of points in a plane (projected coordinates), and the points within a radius.
public struct NearestPoints: Sendable {
    public let xs: [Double]
    public let ys: [Double]
    public let grid: GridIndex

    public init(x: [Double], y: [Double]) {
        precondition(x.count == y.count)
        xs = x; ys = y
        grid = GridIndex(zip(x, y).map { GridIndex.Box(point: $0, $1) })
    }

    /// The index of the nearest point and its distance (the square root of dx² + dy²); nil when there are no points.
    /// Equal distances go to the lowest index.
    @inlinable
    public func nearest(_ x: Double, _ y: Double) -> (index: Int, distance: Double)? {
        xs.withUnsafeBufferPointer { px in
            ys.withUnsafeBufferPointer { py in
                grid.nearest(x: x, y: y, squared: true) { i in (px[i] - x) * (px[i] - x) + (py[i] - y) * (py[i] - y) }
                    .map { ($0.item, $0.distance.squareRoot()) }
            }
        }
    }

    /// The indices of the points within `radius` of (x, y) (boundary included), in increasing order.
    public func within(_ radius: Double, of x: Double, _ y: Double) -> [Int] {
        var found: [Int] = []
        grid.forEach(in: .init(minX: x - radius, minY: y - radius, maxX: x + radius, maxY: y + radius)) { i in
            if hypot(xs[i] - x, ys[i] - y) <= radius { found.append(i) }
        }
        return found.sorted()
    }
}
