import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial
import PortraitStore

/// Imports a shoreline (lines, or polygons whose rings become lines) into
/// the `coastline` layer, replacing what was there, in one transaction.
public enum CoastlineImporter {
    public static func run(file: String, crs: String? = nil, layer: String? = nil, storePath: String) throws -> ImportReport {
        if let layer { try NameRule.checkField(layer, option: "layer") }
        if let crs { try NameRule.checkField(crs, option: "crs") }
        let src = try BoundaryImporter.readLayer(file: file, layer: layer)
        guard src.hasGeometryColumn else {
            throw ImportError(.noGeometryColumn, file: file, "la couche « \(src.name) » n'a pas de géométrie")
        }
        guard !src.features.isEmpty else {
            throw ImportError(.emptyLayer, file: file, "la couche « \(src.name) » est vide (0 entité)")
        }
        let sourceCRS = try BoundaryImporter.sourceCRS(layer: src, override: crs, file: file)
        let project = Projection(from: sourceCRS, to: .wgs84)
        var lines: [LineString] = []
        var fromPolygons = 0
        for f in src.features {
            let g = try BoundaryImporter.checkedGeometry(
                f, file: file, location: ImportError.feature(f.index), expected: "des lignes ou des polygones",
                accept: { $0.isLineal || $0.isPolygonal }, reproject: sourceCRS == .wgs84 ? nil : project)
            if g.isPolygonal { fromPolygons += 1 }
            lines += g.boundaryLines
        }
        let extent = lines.compactMap { Geometry.lineString($0).bbox }.reduce(nil as BBox?) { $0?.union($1) ?? $1 }
        if let extent, !extent.intersects(QuebecExtent.bbox) {
            throw ImportError(.outsideQuebec, file: file,
                              "le trait de côte ne recouvre pas le Québec (étendue \(BoundaryImporter.fmt(extent)))")
        }
        var entry = ImportLogEntry(kind: "coastline", sourceFile: ImportWriter.sourceFile(file), sha256: try FileDigest.sha256(file),
                                   featuresRead: src.features.count, units: lines.count, inserted: lines.count,
                                   warnings: fromPolygons > 0 ? ["\(fromPolygons) polygone(s) converti(s) en contours"] : [],
                                   parameters: ["crs": sourceCRS.description, "layer": src.name, "driver": src.driver])
        let coast = try Stores.writing(to: storePath) { store in
            let id = try store.logImport(entry)
            entry.id = id
            entry.replaced = try store.replaceCoastline(lines, source: (file as NSString).lastPathComponent, importID: id)
            try store.updateImport(id, entry)
            try store.refreshExtents()
            // A new shoreline moves the coast: the classification is redone with its distance.
            return try CoastClassifier.refresh(store: store)
        }
        return ImportReport(log: entry, hierarchy: nil, coast: coast)
    }
}
