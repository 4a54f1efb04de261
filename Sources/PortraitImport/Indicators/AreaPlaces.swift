import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial
import PortraitStore

/// Where each dissemination area lies, for DA files without a municipality column (the INSPQ correspondence
/// workbook): read from a DA → subdivision table (`ADIDU`/`DAUID` beside `SDRIDU`/`CSDUID`, such as the
/// attribute table of `Ad_2021_IndDef.shp` or Statistics Canada's geographic attribute file), or, when the
/// file has DA geometries or points and no subdivision column, by the municipality containing a point of each.
public enum AreaPlaces {
    /// DA id → 5-digit municipal code (as written; former codes are carried over by the caller).
    static func read(file: String, units: () throws -> [TerritorialUnit]) throws -> [String: String] {
        let layer: SourceLayer
        do {
            layer = try VectorSource.read(path: file, openOptions: ["AUTODETECT_TYPE=NO", "X_POSSIBLE_NAMES=lon,longitude,x",
                                                                   "Y_POSSIBLE_NAMES=lat,latitude,y"])
        } catch let e as SourceError {
            switch e {
            case .fileNotFound: throw ImportError(.fileNotFound, file: file, "table des aires de diffusion (--areas) introuvable")
            case .refused: throw ImportError(.notAGeoFile, file: file, e.message)
            default: throw ImportError(.notAGeoFile, file: file, "table des aires de diffusion (--areas) illisible : \(e)")
            }
        }
        let fields = layer.fields.joined(separator: ", ")
        guard let area = DeprivationAreas.find(["ADIDU", "DAUID", "AD"], in: layer.fields) else {
            throw ImportError(.unknownField, file: file, "--areas : aucune colonne d'aire de diffusion (ADIDU, DAUID ou AD) ; colonnes présentes : \(fields)")
        }
        var out: [String: String] = [:]
        if let sdr = DeprivationAreas.find(["SDRIDU", "CSDUID"], in: layer.fields) {
            for f in layer.features {
                guard let id = f.attributes[area]?.text.map(DeprivationAreas.areaID), !id.isEmpty else { continue }
                let raw = DeprivationAreas.areaID(f.attributes[sdr]?.text ?? "")
                guard let code = try? Codes.fromCSDUID(raw) else {
                    throw ImportError(.nonNumericCode, file: file, location: "ligne \(f.index + 2) (AD \(id))",
                                      "colonne \(sdr) : identifiant de subdivision à 7 chiffres commençant par 24 attendu, reçu « \(raw) »")
                }
                out[id] = code
            }
            return out
        }
        guard layer.features.contains(where: { $0.geometry != nil }) else {
            throw ImportError(.unknownField, file: file,
                              "--areas : ni colonne de subdivision (SDRIDU, CSDUID) ni géométrie pour placer les aires ; colonnes présentes : \(fields)")
        }
        let crs = try BoundaryImporter.sourceCRS(layer: layer, override: nil, file: file)
        let toWGS84 = Projection(from: crs, to: .wgs84)
        let municipalities = try units()
        let index = try SpatialIndex(municipalities.map { Geometry.multiPolygon($0.geometry) })
        var prepared: [Int: PreparedGeometry] = [:]
        for f in layer.features {
            guard let id = f.attributes[area]?.text.map(DeprivationAreas.areaID), !id.isEmpty, let g = f.geometry else { continue }
            let wgs = crs == .wgs84 ? g : try toWGS84(g)
            let point = Geometry.point(.init(try wgs.pointOnSurface()))
            for i in try index.query(point) {
                if prepared[i] == nil { prepared[i] = try PreparedGeometry(.multiPolygon(municipalities[i].geometry)) }
                if try prepared[i]!.contains(point) { out[id] = municipalities[i].code; break }
            }
        }
        return out
    }
}
