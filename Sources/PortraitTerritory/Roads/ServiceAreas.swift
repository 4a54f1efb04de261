import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial

/// The areas within 10, 20 and 30 minutes (or any limits) by road of the nearest service of a category, over a
/// territory's land.
///
/// The rule is the one every municipality is measured by: a point reaches the nearest point of a road (at the stated
/// off-road speed), then the roads to the nearest service. The territory is covered by a grid of square cells in
/// Québec Lambert (EPSG:32198); a cell belongs to the area of a limit when its centre is within the limit. So a
/// municipality whose point lies in the 20-minute area is within 20 minutes in the gaps too (to within a cell).
public enum ServiceAreas {
    /// One band: the land from `fromMinutes` (excluded; 0 for the first) to `toMinutes` (included) of the nearest service.
    public struct Band: Sendable {
        public var fromMinutes: Double
        public var toMinutes: Double
        /// WGS84; nil when the band is empty.
        public var geometry: Geometry?
        public var areaKm2: Double
    }

    public struct Result: Sendable {
        public var bands: [Band]
        /// The land beyond the last limit (or no service reached), WGS84; nil when there is none.
        public var beyond: Geometry?
        public var beyondKm2: Double
        /// The side of the grid's cells, in metres.
        public var cellMetres: Double
    }

    public static let defaultLimits: [Double] = [10, 20, 30]

    /// Limits written `10,20,30`: one to six distinct numbers of minutes, each above 0 and at most 600, in increasing
    /// order; nil for anything else.
    public static func limits(_ text: String) -> [Double]? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap { Double($0) }
        guard values.count == parts.count, (1...6).contains(values.count), values.allSatisfy({ $0 > 0 && $0 <= 600 }),
              Set(values).count == values.count else { return nil }
        return values.sorted()
    }
    public static let limitsRule = "de 1 à 6 limites distinctes en minutes, de 0 à 600, séparées par des virgules (ex. 10,20,30)"
    /// At most this many cells: a wider territory gets wider cells (never narrower than `finestCell`).
    public static let maxCells = 120_000
    public static let finestCell = 200.0

    /// The bands of `limits` (minutes, increasing) over the land of `units` (WGS84, with geometry). `field` is the
    /// network's cost field towards the services of the category, in minutes.
    public static func compute(units: [TerritorialUnit], field: Routing.CostField, limits: [Double] = defaultLimits) throws -> Result {
        let limits = limits.sorted()
        guard let last = limits.last, limits.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw TerritoryError.invalid("aires de service : limites en minutes, positives")
        }
        let land = try Geometry.union(try Projection.toQuebecLambert(units.filter { !$0.isAquatic }.map { Geometry.multiPolygon($0.geometry) }))
        guard let box = land.bbox else {
            return Result(bands: limits.enumerated().map { Band(fromMinutes: $0.offset == 0 ? 0 : limits[$0.offset - 1], toMinutes: $0.element, geometry: nil, areaKm2: 0) },
                          beyond: nil, beyondKm2: 0, cellMetres: finestCell)
        }
        let w = box.maxX - box.minX, h = box.maxY - box.minY
        let cell = max(finestCell, (w * h / Double(maxCells)).squareRoot().rounded(.up))
        let columns = max(1, Int((w / cell).rounded(.up))), rows = max(1, Int((h / cell).rounded(.up)))
        // The cells' centres, in WGS84 for the network.
        var centres: [Position] = []
        centres.reserveCapacity(columns * rows)
        for r in 0..<rows { for c in 0..<columns { centres.append(Position(box.minX + (Double(c) + 0.5) * cell, box.minY + (Double(r) + 0.5) * cell)) } }
        let geographic = try Projection.fromQuebecLambert(centres)
        var minutes = [Double](repeating: .infinity, count: centres.count)
        minutes.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            let chunk = 2_048, chunks = (geographic.count + chunk - 1) / chunk
            DispatchQueue.concurrentPerform(iterations: chunks) { k in
                for i in (k * chunk)..<min(geographic.count, (k + 1) * chunk) { out[i] = field.answer(geographic[i], limit: last)?.cost ?? .infinity }
            }
        }
        /// The cells within (lower, upper] minutes, as rectangles (runs of a row, merged with the same run of the rows above).
        func cells(above lower: Double, upTo upper: Double) throws -> Geometry? {
            var open: [Int64: (c0: Int, c1: Int, r0: Int)] = [:]
            var rects: [Geometry] = []
            func close(_ run: (c0: Int, c1: Int, r0: Int), _ r1: Int) {
                let x0 = box.minX + Double(run.c0) * cell, x1 = box.minX + Double(run.c1 + 1) * cell
                let y0 = box.minY + Double(run.r0) * cell, y1 = box.minY + Double(r1) * cell
                rects.append(.polygon(Polygon(exterior: [Position(x0, y0), Position(x1, y0), Position(x1, y1), Position(x0, y1), Position(x0, y0)])))
            }
            for r in 0...rows {
                var runs: [(Int, Int)] = []
                if r < rows {
                    var c = 0
                    while c < columns {
                        let m = minutes[r * columns + c]
                        guard m > lower, m <= upper else { c += 1; continue }
                        let start = c
                        while c + 1 < columns, minutes[r * columns + c + 1] > lower, minutes[r * columns + c + 1] <= upper { c += 1 }
                        runs.append((start, c)); c += 1
                    }
                }
                var next: [Int64: (c0: Int, c1: Int, r0: Int)] = [:]
                for (c0, c1) in runs {
                    let key = Int64(c0) << 32 | Int64(c1)
                    next[key] = open.removeValue(forKey: key) ?? (c0, c1, r)
                }
                for run in open.values { close(run, r) }
                open = next
            }
            guard !rects.isEmpty else { return nil }
            let area = try Geometry.union(rects).intersection(land)
            return area.isEmpty ? nil : area
        }
        var bands: [Band] = []
        var lower = 0.0
        for limit in limits {
            // The first band includes 0 minutes (a service's own cell).
            let g = try cells(above: bands.isEmpty ? -1 : lower, upTo: limit)
            bands.append(Band(fromMinutes: lower, toMinutes: limit, geometry: try g.map { try Projection.fromQuebecLambert($0) },
                              areaKm2: ((try g?.planarArea() ?? 0) / 1e6 * 10).rounded() / 10))
            lower = limit
        }
        let beyond = try cells(above: last, upTo: .infinity)
        return Result(bands: bands, beyond: try beyond.map { try Projection.fromQuebecLambert($0) },
                      beyondKm2: ((try beyond?.planarArea() ?? 0) / 1e6 * 10).rounded() / 10, cellMetres: cell)
    }
}

extension ServiceAreas {
    /// The bands of a territory for a category, over the store's road network (pgRouting's search on PostGIS), and
    /// the network's name as the pages state it (« SOURCE, millésime »).
    public static func run(store: any TerritoryStore, territory: Territory, category: String,
                           limits: [Double] = defaultLimits, routing prepared: Routing? = nil) throws -> (result: Result, network: String) {
        let categories = try store.serviceCategories()
        guard categories.contains(category) else {
            throw TerritoryError.notFound("catégorie « \(category) » inconnue ; catégories importées : \(categories.isEmpty ? "aucune (portrait import services)" : categories.joined(separator: ", "))")
        }
        guard let routing = try prepared ?? store.roadNetwork().map({ Routing(network: $0.network) }) else {
            throw TerritoryError.notFound("aires de service : aucun réseau routier dans le magasin ; importez-en un (portrait import roads FICHIER : un extrait OpenStreetMap ou une couche de lignes)")
        }
        let units = try store.municipalities(in: territory, withGeometry: true).filter { !$0.isAquatic }
        guard !units.isEmpty else { throw TerritoryError.notFound("\(territory) : aucune municipalité") }
        let field = try routing.costs(to: try store.services(category: category).map(\.position), by: .time, search: store.roadSearch)
        return (try compute(units: units, field: field, limits: limits), try store.roadNetworkName() ?? routing.network.source)
    }
}
