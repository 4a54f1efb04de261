import PortraitModel
import PortraitGeometry
import PortraitSpatial

/// The last few coverage simplifications (`Coverage.simplify`), shorelines and outlines, kept: the maps of one report, or of one territory
/// in several styles, draw the same boundaries at the same scale, and simplifying them is most of a map's cost.
/// Bounded (eight results); an entry is reused only for equal input geometries and tolerance.
final class CoverageMemo: Sendable {
    /// The process's memo, used by the renderer.
    static let shared = CoverageMemo(capacity: 8)

    private struct Entry: Sendable {
        var operation: String
        var input: [Geometry]
        var parameter: Double
        var output: [Geometry]
    }
    private let entries = Protected<[Entry]>([])
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// `compute()`, from memory when `operation` was done on equal `input` with the same `parameter` lately.
    func remember(_ operation: String, _ input: [Geometry], _ parameter: Double,
                         _ compute: () throws -> [Geometry]) rethrows -> [Geometry] {
        func same(_ e: Entry) -> Bool { e.operation == operation && e.parameter == parameter && e.input == input }
        if let hit = entries.withLock({ list in list.first(where: same)?.output }) { return hit }
        let output = try compute()
        entries.withLock { list in
            list.removeAll(where: same)
            list.insert(Entry(operation: operation, input: input, parameter: parameter, output: output), at: 0)
            if list.count > capacity { list.removeLast(list.count - capacity) }
        }
        return output
    }

    /// `Coverage.simplify(polygons, tolerance:)`, remembered.
    static func simplify(_ polygons: [Geometry], tolerance: Double) throws -> [Geometry] {
        try shared.remember("coverage", polygons, tolerance) { try Coverage.simplify(polygons, tolerance: tolerance) }
    }

    /// The shoreline `lines` clipped to `view` and simplified at `tolerance`, remembered.
    static func shoreline(_ lines: Geometry, view: Geometry, tolerance: Double) throws -> Geometry {
        try shared.remember("shoreline", [lines, view], tolerance) {
            [try lines.intersection(view).simplifyPreservingTopology(tolerance: tolerance)]
        }[0]
    }

    /// The outline of the whole coverage and of each group of it (`groups`: the MRC of each unit), remembered;
    /// the groups' outlines in the order of their sorted codes.
    static func outlines(_ simplified: [Geometry], groups: [String]) throws -> (outline: Geometry, groups: [(code: String, outline: Geometry)]) {
        let keys = Array(Set(groups)).sorted()
        let result = try shared.remember("outlines " + groups.joined(separator: ","), simplified, 0) {
            var byGroup: [String: [Geometry]] = [:]
            for (g, geometry) in zip(groups, simplified) { byGroup[g, default: []].append(geometry) }
            return [try Geometry.union(simplified)] + (try keys.map { try Geometry.union(byGroup[$0]!) })
        }
        return (result[0], Array(zip(keys, result.dropFirst())).map { (code: $0.0, outline: $0.1) })
    }
}
