import PortraitGeometry
import PortraitModel
import PortraitSpatial
import PortraitStore

/// The result of `portrait classify coast`.
public struct CoastReport: Codable, Sendable, Hashable {
    public var distanceM: Double
    public var regions = CoastCounts()
    public var mrc = CoastCounts()
    public var municipalities = CoastCounts()

    enum CodingKeys: String, CodingKey { case distanceM = "distance_m", regions, mrc, municipalities }

    subscript(level: Level) -> CoastCounts {
        get { switch level { case .region: regions; case .mrc: mrc; case .municipality: municipalities } }
        set { switch level { case .region: regions = newValue; case .mrc: mrc = newValue; case .municipality: municipalities = newValue } }
    }
}

/// Splits every unit into `littoral` and `interieur`: littoral when its
/// polygon meets the shoreline or lies within `distanceM` metres of it,
/// measured in Québec Lambert (EPSG:32198).
public enum CoastClassifier {
    public static let defaultDistanceM = 300.0

    public static func run(storePath: String, distanceM: Double = defaultDistanceM) throws -> CoastReport {
        guard distanceM >= 0, distanceM.isFinite else {
            throw TerritoryError.invalid("--distance-m \(distanceM) : une distance positive en mètres est attendue")
        }
        return try run(store: try Stores.open(storePath, writable: true), distanceM: distanceM)
    }

    /// Keeps the classification true after a boundary or shoreline import: re-runs the last one with its stored
    /// distance, within the import's transaction. Nil when the store was never classified or has no shoreline.
    public static func refresh(store: any TerritoryStore) throws -> CoastReport? {
        guard let last = try store.lastImport(kind: "classify-coast"), let d = last.parameters["distance_m"].flatMap(Double.init),
              try store.coastlineCount() > 0 else { return nil }
        return try run(store: store, distanceM: d)
    }

    public static func run(store: any TerritoryStore, distanceM: Double = defaultDistanceM) throws -> CoastReport {
        let coast = try store.coastline()
        guard !coast.isEmpty else {
            throw TerritoryError.notFound("\(store.location) : aucun trait de côte : lancez d'abord « portrait import coastline FICHIER »")
        }
        guard try Level.allCases.contains(where: { try store.count($0) > 0 }) else {
            throw TerritoryError.notFound("\(store.location) : aucune limite : lancez d'abord « portrait import boundaries »")
        }
        let shore = try ShoreIndex(lines: coast)
        var report = CoastReport(distanceM: distanceM)
        try store.transaction {
            for level in Level.allCases {
                let units = try store.units(level, withGeometry: true)
                var counts = CoastCounts()
                for u in units {
                    // Units far from any piece of shoreline (most of Quebec) are inland without being projected.
                    let g = Geometry.multiPolygon(u.geometry)
                    let near = try shore.mayBeWithin(distanceM, ofGeographic: g)
                    let c: CoastClass = try near && shore.isWithin(distanceM, of: try Projection.toQuebecLambert(g)) ? .littoral : .interieur
                    try store.setCoastClass(level, code: u.code, c)
                    if u.isAquatic { counts.aquatic += 1 } else if c == .littoral { counts.littoral += 1 } else { counts.interieur += 1 }
                }
                report[level] = counts
            }
            _ = try store.logImport(ImportLogEntry(
                kind: "classify-coast",
                units: report.municipalities.littoral + report.municipalities.interieur,
                parameters: ["distance_m": NumberFormat.shortest(distanceM), "crs": "EPSG:32198",
                             "littoral": String(report.municipalities.littoral),
                             "interieur": String(report.municipalities.interieur)]))
        }
        return report
    }
}

/// The shoreline cut into short pieces held in two R-trees, in WGS84 (a cheap first look, before any
/// projection) and in Québec Lambert, so that a unit is only compared with the few pieces near it.
final class ShoreIndex {
    let pieces: [Geometry]
    let index: SpatialIndex
    let geographic: SpatialIndex

    /// `lines` in WGS84; pieces of at most `maxPoints` positions.
    init(lines: [LineString], maxPoints: Int = 64) throws {
        var cut: [Geometry] = []
        for line in lines where line.positions.count >= 2 {
            var start = 0
            while start < line.positions.count - 1 {
                let end = min(start + maxPoints - 1, line.positions.count - 1)
                cut.append(.lineString(LineString(Array(line.positions[start...end]))))
                start = end
            }
        }
        geographic = try SpatialIndex(cut)
        pieces = try Projection.toQuebecLambert(cut)
        index = try SpatialIndex(pieces)
    }

    /// False when no piece of shoreline comes near the unit's box (in degrees, with a margin well beyond
    /// `distance` metres at Quebec's latitudes): the unit is then inland, no projection needed.
    func mayBeWithin(_ distance: Double, ofGeographic unit: Geometry) throws -> Bool {
        guard let b = unit.bbox else { return false }
        let m = distance / 40_000 + 0.01   // 1° of longitude is over 40 km up to 68° N
        let window = Geometry.polygon(Polygon(exterior: [
            Position(b.minX - m, b.minY - m), Position(b.maxX + m, b.minY - m), Position(b.maxX + m, b.maxY + m),
            Position(b.minX - m, b.maxY + m), Position(b.minX - m, b.minY - m)]))
        return try !geographic.query(window).isEmpty
    }

    /// True when `unit` (in EPSG:32198) meets the shoreline or comes within `distance` metres of it.
    func isWithin(_ distance: Double, of unit: Geometry) throws -> Bool {
        guard let b = unit.bbox else { return false }
        let d = distance
        let window = Geometry.polygon(Polygon(exterior: [
            Position(b.minX - d, b.minY - d), Position(b.maxX + d, b.minY - d), Position(b.maxX + d, b.maxY + d),
            Position(b.minX - d, b.maxY + d), Position(b.minX - d, b.minY - d)]))
        let candidates = try index.query(window)
        guard !candidates.isEmpty else { return false }
        let prepared = try PreparedGeometry(unit)
        // `GEOSPreparedDistance_r` (indexed facets, containment first) rather than `GEOSPreparedDistanceWithin_r`,
        // which GEOS 3.11 answers by brute force for polygons.
        for i in candidates where try prepared.distance(to: pieces[i]) <= distance { return true }
        return false
    }
}
