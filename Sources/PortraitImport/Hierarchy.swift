import PortraitGeometry
import PortraitModel
import PortraitSpatial

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
    static func resolve(store: any TerritoryStore) throws -> HierarchyReport {
        var report = HierarchyReport()
        // Region of a municipality from its MRC's region code.
        report.fromCodes += try store.fillRegionsFromMRC()

        // Containment fallback, for each (child level, parent level) pair with a missing parent code.
        let pairs: [(Level, Level)] = [(.municipality, .mrc), (.municipality, .region), (.mrc, .region)]
        for (child, parent) in pairs {
            let orphans = try store.unitsWithoutParent(child, parent: parent)
            guard !orphans.isEmpty else { continue }
            let parents = try store.units(parent, withGeometry: true)
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
        report.unknownParents += try store.unknownParents()
        return report
    }
}
