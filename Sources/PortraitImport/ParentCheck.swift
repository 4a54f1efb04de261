import PortraitGeometry
import PortraitModel
import PortraitSpatial

/// Features that share a code must share their parents: a code drawn in two
/// MRC or two regions is refused, never dissolved into one unit that straddles
/// them (its population, its rank and its distances would belong to neither).
enum ParentCheck {
    /// One code whose features name, or lie in, different parents.
    struct Straddling {
        var code: String
        var name: String
        /// Each group of features with the parents it has: one-based feature numbers, MRC, region.
        var groups: [(features: [Int], mrc: String?, region: String?)]
    }

    /// The codes of `units` (each dissolved from several features) whose features have different parents. A feature's
    /// parents are those its row names; failing that, the MRC's region in the store; failing that, the MRC or region
    /// whose polygon holds the feature's point on surface, when the store has that layer.
    static func straddling(_ units: [BoundaryImporter.Pending], level: Level, store: any TerritoryStore) throws -> [Straddling] {
        guard level != .region, !units.isEmpty else { return [] }
        var layers: [Level: (units: [TerritorialUnit], index: SpatialIndex)?] = [:]
        func containing(_ g: Geometry, in parent: Level) throws -> TerritorialUnit? {
            if layers[parent] == nil {
                let us = try store.units(parent, withGeometry: true)
                layers[parent] = .some(us.isEmpty ? nil : (us, try SpatialIndex(us.map { .multiPolygon($0.geometry) })))
            }
            guard let layer = layers[parent] ?? nil else { return nil }
            let pt = Geometry.point(Point(try g.pointOnSurface()))
            for i in try layer.index.query(pt) where try Geometry.multiPolygon(layer.units[i].geometry).contains(pt) {
                return layer.units[i]
            }
            return nil
        }
        var mrcRegion: [String: String?] = [:]
        func regionOf(mrc code: String) throws -> String? {
            if let r = mrcRegion[code] { return r }
            let r = try store.unit(.mrc, code: code)?.regionCode
            mrcRegion[code] = r
            return r
        }

        var found: [Straddling] = []
        for p in units {
            var parents: [(feature: Int, mrc: String?, region: String?)] = []
            for k in p.features.indices {
                var mrc = level == .municipality ? p.mrcs[k] : nil
                var region = p.regions[k]
                if level == .municipality, mrc == nil, let m = try containing(p.geometries[k], in: .mrc) {
                    mrc = m.code
                    region = region ?? m.regionCode
                }
                if region == nil, let mrc { region = try regionOf(mrc: mrc) }
                if region == nil { region = try containing(p.geometries[k], in: .region)?.code }
                parents.append((p.features[k] + 1, mrc, region))
            }
            let mrcs = Set(parents.compactMap(\.mrc)), regions = Set(parents.compactMap(\.region))
            guard mrcs.count > 1 || regions.count > 1 else { continue }
            var groups: [(features: [Int], mrc: String?, region: String?)] = []
            for q in parents {
                if let i = groups.firstIndex(where: { $0.mrc == q.mrc && $0.region == q.region }) {
                    groups[i].features.append(q.feature)
                } else {
                    groups.append(([q.feature], q.mrc, q.region))
                }
            }
            found.append(Straddling(code: p.code, name: p.name, groups: groups))
        }
        return found
    }

    /// One message naming every straddling code, its parents and its features, and what to do.
    static func message(_ list: [Straddling]) -> String {
        func where_(_ g: (features: [Int], mrc: String?, region: String?)) -> String {
            let rows = (g.features.count == 1 ? "entité " : "entités ") + g.features.map(String.init).joined(separator: ", ")
            let parent = [g.mrc.map { "MRC \($0)" }, g.region.map { "région \($0)" }].compactMap { $0 }
            return rows + (parent.isEmpty ? " (parent inconnu)" : " dans " + parent.joined(separator: ", "))
        }
        let shown = list.prefix(20).map { s in
            "code \(s.code) (\(s.name)) : " + s.groups.map(where_).joined(separator: " ; ")
        }
        let more = list.count > 20 ? " ; et \(list.count - 20) autre(s)" : ""
        let what = list.count == 1 ? "un code est dessiné" : "\(list.count) codes sont dessinés"
        return "\(what) dans des MRC ou des régions différentes, refusé : \(shown.joined(separator: " | "))\(more). "
            + "Une unité ne traverse pas ses parents : corrigez le code, la MRC ou la région de ces entités dans le fichier, puis réimportez (rien n'a été écrit)"
    }
}
