import Foundation
import PortraitGeometry
import PortraitModel
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
        if let nameField { try NameRule.checkField(nameField, option: "name-field") }
        let layer: SourceLayer
        do { layer = try VectorSource.read(path: file, openOptions: ["X_POSSIBLE_NAMES=lon,longitude", "Y_POSSIBLE_NAMES=lat,latitude"]) }
        catch let e as SourceError { throw ImportError(.notAGeoFile, file: file, e.message) }
        guard let field = nameField ?? ["nomcartrou", "name", "nom", "MUS_NM_MUN"].first(where: layer.fields.contains) else {
            throw ImportError(.unknownField, file: file, "aucun champ de nom (--name-field) ; champs présents : \(layer.fields.joined(separator: ", "))")
        }
        let store = try Stores.open(storePath, writable: true)
        let units = try store.units(.municipality, withGeometry: true).filter { !$0.isAquatic }
        let index = try SpatialIndex(units.map { Geometry.multiPolygon($0.geometry) })
        var prepared: [Int: PreparedGeometry] = [:]
        var rows: [Place] = []
        let source = (file as NSString).lastPathComponent
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
            rows.append(Place(name: f.attributes[field]?.text ?? "", municipalityCode: code, source: source, position: p.position))
        }
        var entry = ImportLogEntry(kind: "places", sourceFile: ImportWriter.sourceFile(file), sha256: try FileDigest.sha256(file), featuresRead: layer.features.count,
                                   units: rows.count, inserted: rows.count,
                                   warnings: outside > 0 ? ["\(outside) lieu(x) hors des territoires importés, non gardé(s)"] : [])
        try store.transaction {
            let id = try store.logImport(entry)
            entry.id = id
            entry.replaced = try store.replacePlaces(rows, importID: id)
            try store.updateImport(id, entry)
        }
        return Report(log: entry, kept: rows.count, outsideTerritory: outside)
    }
}
