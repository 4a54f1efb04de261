import Foundation
import PortraitGeometry
import PortraitSpatial
import PortraitStore

/// Imports inhabited places (towns, villages, hamlets) as population points:
/// access distances then start where people live rather than from a point
/// of the polygon (which, for shore municipalities, may lie in the river).
/// Each place gets its municipality by point in polygon; the layer is replaced.
public enum PlacesImporter {
    public struct Report: Codable, Sendable {
        public var log: ImportLogEntry
        public var kept: Int
        public var outsideTerritory: Int
        enum CodingKeys: String, CodingKey { case log, kept, outsideTerritory = "outside_territory" }
    }

    public static func run(file: String, nameField: String? = nil, storePath: String) throws -> Report {
        let layer: SourceLayer
        do { layer = try VectorSource.read(path: file, openOptions: ["X_POSSIBLE_NAMES=lon,longitude", "Y_POSSIBLE_NAMES=lat,latitude"]) }
        catch let e as SourceError { throw ImportError(.notAGeoFile, file: file, e.description) }
        guard let field = nameField ?? ["nomcartrou", "name", "nom", "MUS_NM_MUN"].first(where: layer.fields.contains) else {
            throw ImportError(.unknownField, file: file, "aucun champ de nom (--name-field) ; champs présents : \(layer.fields.joined(separator: ", "))")
        }
        let store = try TerritoryStore(openExisting: storePath, writable: true)
        try store.transaction { try store.ensureSchema() }
        let units = try store.units(.municipality).filter { !$0.isAquatic }
        let index = try SpatialIndex(units.map { Geometry.multiPolygon($0.geometry) })
        var prepared: [Int: PreparedGeometry] = [:]
        var rows: [(String, String?, Position)] = []
        var outside = 0
        for f in layer.features {
            guard case .point(let p)? = f.geometry else { continue }
            let g = Geometry.point(p)
            var code: String?
            for i in try index.query(g) {
                if prepared[i] == nil { prepared[i] = try PreparedGeometry(.multiPolygon(units[i].geometry)) }
                if try prepared[i]!.contains(g) { code = units[i].code; break }
            }
            if code == nil { outside += 1; continue }   // counted in the report; only places of the imported territory are kept
            rows.append((f.attributes[field]?.text ?? "", code, p.position))
        }
        var entry = ImportLogEntry(kind: "places", sourceFile: file, sha256: try SHA256.hex(fileAt: file), featuresRead: layer.features.count,
                                   units: rows.count, inserted: rows.count,
                                   warnings: outside > 0 ? ["\(outside) lieu(x) hors des territoires importés, non gardé(s)"] : [])
        try store.transaction {
            try store.db.run("DELETE FROM places")
            entry.replaced = store.db.changes
            let id = try store.logImport(entry)
            entry.id = id
            for (name, code, p) in rows {
                try store.db.run("INSERT INTO places (geom, name, municipality_code, source, import_id) VALUES (?,?,?,?,?)",
                                 [GeoPackage.blob(.point(Point(p))), .text(name), .optional(code), .text((file as NSString).lastPathComponent), .int(id)])
            }
            try store.updateImport(id, entry)
            try store.package.refreshContents("places")
        }
        return Report(log: entry, kept: rows.count, outsideTerritory: outside)
    }
}
