import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial

/// Travel over a road network from every place to the nearest of a set of services: each point reaches the graph at
/// the nearest point of an edge (the part off the network counted at a stated speed), then one multi-source Dijkstra
/// from all the services at once, over the roads taken towards the services.
public struct Routing: Sendable {
    public enum Measure: String, Sendable, CaseIterable { case time, distance }

    /// Where a point reaches the network.
    public struct Attachment: Sendable, Hashable {
        public var edge: Int
        /// Fraction of the edge's length from its `from` node.
        public var fraction: Double
        /// Geodesic metres from the point to the network.
        public var offMetres: Double
    }

    /// One place's answer: the cost (minutes or metres) to its nearest service, that service, and the metres off the network.
    public struct Answer: Sendable, Hashable {
        public var cost: Double
        public var service: Int
        public var offMetres: Double
    }

    public let network: RoadNetwork
    /// A point within this fraction of an edge's end is at its node.
    static let atNode = 1e-9
    /// Speed of the part of a trip off the network (from a place or a service to the nearest point of a road).
    public let offRoadKmh: Double
    let grid: SegmentGrid

    /// The speed of the part off the network unless told otherwise; the pages that state the measure quote it.
    public static let defaultOffRoadKmh = 20.0

    public init(network: RoadNetwork, offRoadKmh: Double = Routing.defaultOffRoadKmh) {
        self.network = network
        self.offRoadKmh = offRoadKmh
        grid = SegmentGrid(network)
    }

    /// The nearest point of an edge to `p`; with `within`, nil when no road lies within that many metres.
    public func attach(_ p: Position, within: Double? = nil) -> Attachment? { grid.nearest(p, network: network, within: within) }

    /// For each place, its nearest service by `measure` (minutes, or metres), or nil when none can be reached. `search`
    /// runs the multi-source search elsewhere (pgRouting, through the store) when it answers; else Portrait runs it.
    public func nearest(from places: [Position], to services: [Position], by measure: Measure,
                        search: (([RoadSeed], Bool) throws -> [Int: RoadSeed]?)? = nil) throws -> [Answer?] {
        let field = try costs(to: services, by: measure, search: search)
        return places.map { field.answer($0) }
    }

    /// Every node's cost to its nearest service (one multi-source search), from which any point's answer follows.
    public struct CostField: Sendable {
        let routing: Routing
        let measure: Measure
        let best: [Double]
        let origin: [Int]
        let serviceAt: [Attachment?]
        /// The services attached to each edge that has some.
        let onEdge: [Int: [Int]]

        func cost(_ e: RoadNetwork.Edge, forward: Bool) -> Double? { routing.cost(e, forward: forward, by: measure) }
        func off(_ metres: Double) -> Double { routing.off(metres, by: measure) }

        /// The nearest service of a point (WGS84) by the field's measure, or nil when none can be reached; with
        /// `limit`, nil too when the point's way to the nearest road alone costs more than the limit.
        public func answer(_ p: Position, limit: Double? = nil) -> Answer? {
            let within = limit.map { measure == .distance ? $0 : $0 / 60 * routing.offRoadKmh * 1000 }
            guard let a = routing.attach(p, within: within) else { return nil }
            let e = routing.network.edges[a.edge]
            var answer: Answer?
            func consider(_ c: Double, _ s: Int) {
                let total = c + off(a.offMetres)
                if total.isFinite, answer == nil || total < answer!.cost { answer = Answer(cost: total, service: s, offMetres: a.offMetres) }
            }
            if let c = cost(e, forward: true), origin[e.to] >= 0 { consider((1 - a.fraction) * c + best[e.to], origin[e.to]) }
            if let c = cost(e, forward: false), origin[e.from] >= 0 { consider(a.fraction * c + best[e.from], origin[e.from]) }
            // A place on a node is at that node, whatever the direction of the edge it was found on.
            if a.fraction <= Routing.atNode, origin[e.from] >= 0 { consider(best[e.from], origin[e.from]) }
            if a.fraction >= 1 - Routing.atNode, origin[e.to] >= 0 { consider(best[e.to], origin[e.to]) }
            // A service on the same edge, reached along it.
            for s in onEdge[a.edge] ?? [] {
                let sa = serviceAt[s], t = sa!.fraction
                if t >= a.fraction, let c = cost(e, forward: true) { consider((t - a.fraction) * c + off(sa!.offMetres), s) }
                if t <= a.fraction, let c = cost(e, forward: false) { consider((a.fraction - t) * c + off(sa!.offMetres), s) }
            }
            return answer
        }
    }

    func cost(_ e: RoadNetwork.Edge, forward: Bool, by measure: Measure) -> Double? {
        switch measure {
        case .distance: return (forward ? e.minutesForward : e.minutesBackward) == nil ? nil : e.lengthM
        case .time: return forward ? e.minutesForward : e.minutesBackward
        }
    }

    func off(_ metres: Double, by measure: Measure) -> Double { measure == .distance ? metres : metres / 1000 / offRoadKmh * 60 }

    /// The multi-source search from all the services at once, over the roads taken towards them.
    public func costs(to services: [Position], by measure: Measure,
                      search: (([RoadSeed], Bool) throws -> [Int: RoadSeed]?)? = nil) throws -> CostField {
        let n = network.nodes.count
        func cost(_ e: RoadNetwork.Edge, forward: Bool) -> Double? { self.cost(e, forward: forward, by: measure) }
        func off(_ metres: Double) -> Double { self.off(metres, by: measure) }
        // Towards the services: node v is reached from u when the road goes u → v; the search runs from the services
        // backwards, so that each node's cost is that of driving from it to its nearest service.
        var incoming = [[(node: Int, cost: Double)]](repeating: [], count: n)
        for e in network.edges {
            if let c = cost(e, forward: true) { incoming[e.to].append((e.from, c)) }
            if let c = cost(e, forward: false) { incoming[e.from].append((e.to, c)) }
        }
        var best = [Double](repeating: .infinity, count: n), origin = [Int](repeating: -1, count: n)
        var heap = MinHeap()
        let serviceAt = services.map { attach($0) }
        var seeds: [RoadSeed] = []
        for (s, a) in serviceAt.enumerated() {
            guard let a else { continue }
            let e = network.edges[a.edge]
            // From e.from the service lies forward along the edge; from e.to, backward.
            // A service on a node is at that node, whatever the direction of the edge it was found on.
            if let c = cost(e, forward: true) { seeds.append(.init(node: e.from, cost: off(a.offMetres) + a.fraction * c, source: s)) }
            else if a.fraction <= Self.atNode { seeds.append(.init(node: e.from, cost: off(a.offMetres), source: s)) }
            if let c = cost(e, forward: false) { seeds.append(.init(node: e.to, cost: off(a.offMetres) + (1 - a.fraction) * c, source: s)) }
            else if a.fraction >= 1 - Self.atNode { seeds.append(.init(node: e.to, cost: off(a.offMetres), source: s)) }
        }
        func relax(_ v: Int, _ d: Double, _ s: Int) {
            if d < best[v] { best[v] = d; origin[v] = s; heap.push(d, v) }
        }
        if let found = try search?(seeds, measure == .distance) {
            for (v, r) in found where v >= 0 && v < n { best[v] = r.cost; origin[v] = r.source }
        } else {
            for s in seeds { relax(s.node, s.cost, s.source) }
            while let (d, v) = heap.pop() {
                guard d <= best[v] else { continue }
                for (u, c) in incoming[v] where d + c < best[u] { relax(u, d + c, origin[v]) }
            }
        }
        var onEdge: [Int: [Int]] = [:]
        for (s, a) in serviceAt.enumerated() { if let a { onEdge[a.edge, default: []].append(s) } }
        return CostField(routing: self, measure: measure, best: best, origin: origin, serviceAt: serviceAt, onEdge: onEdge)
    }
}

extension Routing {
    /// For each place, how many services it reaches by road within `minutes`.
    public func countWithin(minutes limit: Double, from places: [Position], to services: [Position]) -> [Int] {
        reachable(minutes: limit, from: places, to: services).map(\.count)
    }

    /// Two-step floating catchment by travel time: each service's supply (its capacity, 1 without one) over the people
    /// of the places that reach it within `minutes`, then each place's sum over the services it reaches, per 1,000.
    public func twoStepFloatingCatchment(minutes limit: Double, places: [Position], population: [Double], services: [Position],
                                         capacity: [Double?]) -> [Double] {
        Self.twoStepFloatingCatchment(reach: reachable(minutes: limit, from: places, to: services), population: population, capacity: capacity)
    }

    /// The same from the services each place reaches (`reachable`).
    public static func twoStepFloatingCatchment(reach: [Set<Int>], population: [Double], capacity: [Double?]) -> [Double] {
        let services = capacity
        var demand = [Double](repeating: 0, count: services.count)
        for (i, set) in reach.enumerated() { for j in set { demand[j] += population[i] } }
        let ratio = services.indices.map { demand[$0] > 0 ? (capacity[$0] ?? 1) / demand[$0] : 0 }
        return reach.map { set in set.map { ratio[$0] }.reduce(0, +) * 1000 }
    }

    /// For each place, the services it reaches by road within `minutes` (a search bounded by the limit, from the place
    /// along the roads as they are driven).
    public func reachable(minutes limit: Double, from places: [Position], to services: [Position]) -> [Set<Int>] {
        let n = network.nodes.count
        var outgoing = [[(node: Int, cost: Double)]](repeating: [], count: n)
        for e in network.edges {
            if let c = e.minutesForward { outgoing[e.from].append((e.to, c)) }
            if let c = e.minutesBackward { outgoing[e.to].append((e.from, c)) }
        }
        func off(_ metres: Double) -> Double { metres / 1000 / offRoadKmh * 60 }
        let serviceAt = services.map { attach($0) }
        var byEdge: [Int: [(t: Double, off: Double, service: Int)]] = [:]
        for (j, a) in serviceAt.enumerated() { if let a { byEdge[a.edge, default: []].append((a.fraction, off(a.offMetres), j)) } }
        return places.map { p in
            guard let a = attach(p) else { return [] }
            let start = off(a.offMetres)
            guard start <= limit else { return [] }
            let e = network.edges[a.edge]
            var best: [Int: Double] = [:]
            var heap = MinHeap()
            func relax(_ v: Int, _ d: Double) { if d <= limit, d < (best[v] ?? .infinity) { best[v] = d; heap.push(d, v) } }
            if let c = e.minutesForward { relax(e.to, start + (1 - a.fraction) * c) } else if a.fraction >= 1 - Self.atNode { relax(e.to, start) }
            if let c = e.minutesBackward { relax(e.from, start + a.fraction * c) } else if a.fraction <= Self.atNode { relax(e.from, start) }
            while let (d, v) = heap.pop() {
                guard d <= (best[v] ?? .infinity) else { continue }
                for (u, c) in outgoing[v] { relax(u, d + c) }
            }
            var found = Set<Int>()
            for (ei, list) in byEdge {
                let f = network.edges[ei]
                for s in list {
                    var reach = Double.infinity
                    if let d = best[f.from], let c = f.minutesForward { reach = min(reach, d + s.t * c) }
                    if let d = best[f.to], let c = f.minutesBackward { reach = min(reach, d + (1 - s.t) * c) }
                    if let d = best[f.from], s.t <= Self.atNode { reach = min(reach, d) }
                    if let d = best[f.to], s.t >= 1 - Self.atNode { reach = min(reach, d) }
                    if ei == a.edge {
                        if s.t >= a.fraction, let c = f.minutesForward { reach = min(reach, start + (s.t - a.fraction) * c) }
                        if s.t <= a.fraction, let c = f.minutesBackward { reach = min(reach, start + (a.fraction - s.t) * c) }
                    }
                    if reach + s.off <= limit { found.insert(s.service) }
                }
            }
            return found
        }
    }
}

/// A binary min-heap of (cost, node).
struct MinHeap {
    private var items: [(Double, Int)] = []
    mutating func push(_ d: Double, _ v: Int) {
        items.append((d, v))
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard items[i].0 < items[p].0 else { break }
            items.swapAt(i, p); i = p
        }
    }
    mutating func pop() -> (Double, Int)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, items[l].0 < items[m].0 { m = l }
                if r < items.count, items[r].0 < items[m].0 { m = r }
                if m == i { break }
                items.swapAt(i, m); i = m
            }
        }
        return top
    }
}

/// The edges' segments in a grid (`GridIndex`, the index of the straight-line nearest service too) of cells about
/// `cellMetres` wide, longitudes scaled by one cosine: the nearest segment to a point is among the cells around it,
/// searched ring by ring, and measured exactly (geodesic).
struct SegmentGrid: Sendable {
    struct Segment: Sendable { var edge: Int; var index: Int; var before: Double }
    /// One scale for the whole grid: the cosine of the network's mean latitude (a segment and a point must fall in the
    /// same cells whatever their latitudes).
    let k: Double
    let segments: [Segment]
    let grid: GridIndex
    /// The narrowest cells; a sparse network gets wider ones (about one segment per cell over its extent).
    static let cellMetres = 500.0
    /// Beyond this many metres from every road a point is off the network.
    static let reachMetres = 200_000.0

    init(_ network: RoadNetwork) {
        let k = Self.cosine(network.nodes.isEmpty ? 0 : network.nodes.map(\.y).reduce(0, +) / Double(network.nodes.count))
        self.k = k
        var segments: [Segment] = [], boxes: [GridIndex.Box] = []
        for (ei, e) in network.edges.enumerated() {
            var before = 0.0
            for i in 1..<e.points.count {
                let a = e.points[i - 1], b = e.points[i]
                segments.append(Segment(edge: ei, index: i, before: before))
                boxes.append(.init(minX: min(a.x, b.x) * k, minY: min(a.y, b.y), maxX: max(a.x, b.x) * k, maxY: max(a.y, b.y)))
                before += Geodesic.distance(a, b)
            }
        }
        self.segments = segments
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for b in boxes { minX = min(minX, b.minX); minY = min(minY, b.minY); maxX = max(maxX, b.maxX); maxY = max(maxY, b.maxY) }
        let sparse = boxes.isEmpty ? 0 : ((maxX - minX) * (maxY - minY) / Double(boxes.count)).squareRoot()
        grid = GridIndex(boxes, cell: max(Self.cellMetres / 111_000, sparse.isFinite ? sparse : 0))
    }

    static func cosine(_ lat: Double) -> Double { max(0.01, cos(lat * .pi / 180)) }

    func nearest(_ p: Position, network: RoadNetwork, within: Double? = nil) -> Routing.Attachment? {
        // A cell's narrowest width in metres here (a degree of latitude is at least 110.5 km; east-west scaled by the
        // local cosine), and the local scale for the foot of the perpendicular.
        let local = Self.cosine(p.y), metresPerCell = grid.cell * 110_500 * min(1, local / k)
        func foot(_ s: Segment) -> (d: Double, foot: Position) {
            let e = network.edges[s.edge]
            let a = e.points[s.index - 1], b = e.points[s.index]
            // The foot of the perpendicular in the locally scaled plane, then its geodesic distance.
            let ax = a.x * local, ay = a.y, bx = b.x * local, by = b.y, px = p.x * local, py = p.y
            let len2 = (bx - ax) * (bx - ax) + (by - ay) * (by - ay)
            let t = len2 > 0 ? min(1, max(0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / len2)) : 0
            let f = Position(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y))
            return (Geodesic.distance(p, f), f)
        }
        let reach = min(Self.reachMetres, within ?? .infinity)
        guard let best = grid.nearest(x: p.x * k, y: p.y, perCell: metresPerCell,
                                      maxRings: Int((reach / metresPerCell).rounded(.up)) + 1,
                                      distance: { foot(segments[$0]).d }), best.distance <= (within ?? .infinity) else { return nil }
        let s = segments[best.item], e = network.edges[s.edge]
        let along = s.before + Geodesic.distance(e.points[s.index - 1], foot(s).foot)
        return Routing.Attachment(edge: s.edge, fraction: e.lengthM > 0 ? min(1, along / e.lengthM) : 0, offMetres: best.distance)
    }
}
