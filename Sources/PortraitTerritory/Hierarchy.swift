import PortraitGeometry
import PortraitSpatial
import PortraitStore

/// What hierarchy resolution did after an import.
public struct HierarchyReport: Codable, Sendable, Hashable {
    /// Parents filled in from the parent's own codes (a municipality's region from its MRC).
    public var fromCodes = 0
    /// Parents found by spatial containment of the unit's point on surface.
    public var fromContainment = 0
    /// Units still without a parent (the parent layer is missing or does not cover them).
    public var unresolved = 0
    /// Codes of parents referenced by children but absent from the parent layer.
    public var unknownParents: [String] = []

    var warnings: [String] {
        var w: [String] = []
        if fromContainment > 0 { w.append("\(fromContainment) rattachement(s) déduit(s) par inclusion spatiale") }
        if !unknownParents.isEmpty {
            w.append("codes parents absents de la couche parente : \(unknownParents.prefix(20).joined(separator: ", "))")
        }
        return w
    }
}

/// The municipality → MRC → region hierarchy: from codes first, spatial
/// containment (point on surface inside the parent polygon) as fallback.
enum Hierarchy {
    static func resolve(store: TerritoryStore) throws -> HierarchyReport {
        var report = HierarchyReport()
        let db = store.db
        // Region of a municipality from its MRC's region code.
        try db.run("""
            UPDATE municipalities SET region_code = (SELECT m.region_code FROM mrc m WHERE m.code = municipalities.mrc_code)
            WHERE region_code IS NULL AND mrc_code IS NOT NULL
              AND EXISTS (SELECT 1 FROM mrc m WHERE m.code = municipalities.mrc_code AND m.region_code IS NOT NULL)
            """)
        report.fromCodes += db.changes

        // Containment fallback, for each (child level, parent level) pair with a missing parent code.
        let pairs: [(Level, Level, String)] = [(.municipality, .mrc, "mrc_code"), (.municipality, .region, "region_code"),
                                                (.mrc, .region, "region_code")]
        for (child, parent, column) in pairs {
            let orphans = try store.units(child, where: "\(column) IS NULL")
            guard !orphans.isEmpty else { continue }
            let parents = try store.units(parent)
            guard !parents.isEmpty else { report.unresolved += orphans.count; continue }
            let index = try SpatialIndex(parents.map { .multiPolygon($0.geometry) })
            for o in orphans {
                let p = try Geometry.multiPolygon(o.geometry).pointOnSurface()
                let pt = Geometry.point(Point(p))
                var found: TerritorialUnit?
                for i in try index.query(pt) where try Geometry.multiPolygon(parents[i].geometry).contains(pt) {
                    found = parents[i]; break
                }
                guard let found else { report.unresolved += 1; continue }
                report.fromContainment += 1
                if parent == .mrc {
                    try store.setParents(child, code: o.code, mrc: found.code, region: found.regionCode)
                } else {
                    try store.setParents(child, code: o.code, mrc: nil, region: found.code)
                }
            }
        }

        // Children naming parents the parent layer lacks (only when that layer is loaded).
        if try store.count(.mrc) > 0 {
            report.unknownParents += try db.query("""
                SELECT DISTINCT mrc_code FROM municipalities WHERE mrc_code IS NOT NULL
                  AND mrc_code NOT IN (SELECT code FROM mrc) ORDER BY 1
                """).compactMap { $0[0].text.map { "MRC \($0)" } }
        }
        if try store.count(.region) > 0 {
            report.unknownParents += try db.query("""
                SELECT DISTINCT region_code FROM mrc WHERE region_code IS NOT NULL
                  AND region_code NOT IN (SELECT code FROM regions) ORDER BY 1
                """).compactMap { $0[0].text.map { "région \($0)" } }
        }
        return report
    }
}
