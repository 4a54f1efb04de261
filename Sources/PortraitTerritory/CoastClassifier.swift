import PortraitGeometry
import PortraitSpatial

/// Littoral/intérieur counts for one level.
public struct CoastCounts: Codable, Sendable, Hashable {
    public var littoral = 0
    public var interieur = 0
    /// Aquatic units (designation G), classified but counted apart.
    public var aquatic = 0
}

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
            throw ImportError(.missingValue, file: storePath, "--distance-m \(distanceM) : une distance positive en mètres est attendue")
        }
        guard TerritoryStore.exists(at: storePath) else {
            throw ImportError(.noBoundaries, file: storePath, "magasin absent : importez d'abord des limites et un trait de côte")
        }
        let store = try TerritoryStore(openExisting: storePath, writable: true)
        let coast = try store.coastline()
        guard !coast.isEmpty else {
            throw ImportError(.noCoastline, file: storePath, "aucun trait de côte : lancez d'abord « portrait import coastline FICHIER »")
        }
        guard try Level.allCases.contains(where: { try store.count($0) > 0 }) else {
            throw ImportError(.noBoundaries, file: storePath, "aucune limite : lancez d'abord « portrait import boundaries »")
        }
        let shoreline = try Projection.toQuebecLambert(Geometry.multiLineString(MultiLineString(coast)))
        let prepared = try PreparedGeometry(shoreline)
        var report = CoastReport(distanceM: distanceM)
        try store.transaction {
            for level in Level.allCases {
                let units = try store.units(level)
                let projected = try Projection.toQuebecLambert(units.map { Geometry.multiPolygon($0.geometry) })
                var counts = CoastCounts()
                for (u, g) in zip(units, projected) {
                    let c: CoastClass = try prepared.isWithinDistance(g, distanceM) ? .littoral : .interieur
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
