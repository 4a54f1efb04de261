import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial
import PortraitStore

/// Options of `portrait import boundaries`.
public struct BoundaryImportOptions: Sendable {
    public var level: Level
    public var preset: BoundaryPreset
    /// `role=FIELD` overrides (`--field code=CODE_MUN`).
    public var fieldOverrides: [String: String]
    /// CRS to assume when the file declares none (`--crs EPSG:32198`).
    public var crs: String?
    /// Layer name in multi-layer files (GeoPackage, FileGDB).
    public var layer: String?

    public init(level: Level, preset: BoundaryPreset = .sda, fieldOverrides: [String: String] = [:],
                crs: String? = nil, layer: String? = nil) {
        self.level = level; self.preset = preset; self.fieldOverrides = fieldOverrides; self.crs = crs; self.layer = layer
    }
}

/// What an import did.
public struct ImportReport: Codable, Sendable {
    public var log: ImportLogEntry
    /// Units whose parent was found by spatial containment, and units still without a parent.
    public var hierarchy: HierarchyReport?
    /// The coast classification redone after this import (the store had been classified), with its counts.
    public var coast: CoastReport?

    public init(log: ImportLogEntry, hierarchy: HierarchyReport?, coast: CoastReport? = nil) {
        self.log = log; self.hierarchy = hierarchy; self.coast = coast
    }
}

/// Reads a boundary file through GDAL, checks and repairs it, and writes it
/// into the store in one transaction.
public enum BoundaryImporter {
    /// A unit being built from one or more features.
    struct Pending {
        var code: String
        var name: String
        var designation: String?
        var mrc: String?
        var region: String?
        var features: [Int]
        var geometries: [Geometry]
        /// Each feature's own parents, as the file gives them (nil when it gives none).
        var mrcs: [String?]
        var regions: [String?]
    }

    public static func run(file: String, options: BoundaryImportOptions, storePath: String, demo: Bool = false) throws -> ImportReport {
        let o = options
        for (role, f) in o.fieldOverrides { try NameRule.checkIdentifier(role, option: "field (avant =)"); try NameRule.checkField(f, option: "field \(role)=") }
        if let l = o.layer { try NameRule.checkField(l, option: "layer") }
        if let c = o.crs { try NameRule.checkField(c, option: "crs") }
        let layer = try readLayer(file: file, layer: o.layer)
        guard layer.hasGeometryColumn else {
            throw ImportError(.noGeometryColumn, file: file, "la couche « \(layer.name) » n'a pas de géométrie (fichier \(layer.driver))")
        }
        guard !layer.features.isEmpty else {
            throw ImportError(.emptyLayer, file: file, "la couche « \(layer.name) » est vide (0 entité)")
        }
        let fields = try resolveFields(layer: layer, options: o, file: file)
        let sourceCRS = try sourceCRS(layer: layer, override: o.crs, file: file)

        var warnings: [String] = []
        var pending: [String: Pending] = [:]
        var order: [String] = []
        var skippedOtherProvince = 0
        var repaired = 0

        let toWGS84 = Projection(from: sourceCRS, to: .wgs84)
        let isWGS84 = sourceCRS == .wgs84

        for f in layer.features {
            func text(_ role: BoundaryPreset.Role) -> String? {
                fields[role].flatMap { f.attributes[$0]?.text }.map { $0.trimmingCharacters(in: .whitespaces) }
                    .flatMap { $0.isEmpty ? nil : $0 }
            }
            if let pr = text(.province), pr != "24" { skippedOtherProvince += 1; continue }
            guard let rawCode = text(.code) else {
                throw ImportError(.missingValue, file: file, location: ImportError.feature(f.index),
                                  "champ \(fields[.code]!) : code absent")
            }
            let code: String
            do { code = try o.preset.normaliseCode(rawCode, level: o.level) } catch {
                throw codeError(error, file: file, feature: f.index, field: fields[.code]!, value: rawCode)
            }
            let loc = ImportError.feature(f.index, code: code)
            guard let name = text(.name) else {
                throw ImportError(.missingValue, file: file, location: loc, "champ \(fields[.name]!) : nom absent")
            }
            var mrc: String?
            if let raw = text(.mrc) {
                do { mrc = try o.preset.normaliseMRC(raw) } catch {
                    throw codeError(error, file: file, feature: f.index, field: fields[.mrc]!, value: raw)
                }
            }
            var region: String?
            if let raw = text(.region) {
                do { region = try Codes.region(raw) } catch {
                    throw codeError(error, file: file, feature: f.index, field: fields[.region]!, value: raw)
                }
            }
            let designation = text(.designation).map { o.preset.normaliseDesignation($0) }

            // Geometry: present, polygonal, structurally sound, in WGS84, then valid.
            var g = try checkedGeometry(f, file: file, location: loc, expected: "un Polygon ou un MultiPolygon",
                                        accept: \.isPolygonal, reproject: isWGS84 ? nil : toWGS84)
            if try !g.isValid() {
                g = .multiPolygon(try g.makeValid().asMultiPolygon)
                repaired += 1
            }

            if var p = pending[code] {
                guard p.name.folding(options: [.caseInsensitive], locale: nil) == name.folding(options: [.caseInsensitive], locale: nil) else {
                    throw ImportError(.conflictingDuplicate, file: file, location: "code \(code)",
                                      "code en double avec des noms différents : « \(p.name) » (entité \(p.features[0] + 1)) et « \(name) » (entité \(f.index + 1))")
                }
                p.features.append(f.index)
                p.geometries.append(g)
                p.mrcs.append(mrc)
                p.regions.append(region)
                p.designation = p.designation ?? designation
                p.mrc = p.mrc ?? mrc
                p.region = p.region ?? region
                pending[code] = p
            } else {
                pending[code] = Pending(code: code, name: name, designation: designation, mrc: mrc, region: region,
                                        features: [f.index], geometries: [g], mrcs: [mrc], regions: [region])
                order.append(code)
            }
        }
        if skippedOtherProvince > 0 {
            warnings.append("\(skippedOtherProvince) entité(s) hors Québec ignorée(s) (champ \(fields[.province] ?? "PRUID") ≠ 24)")
        }
        guard !order.isEmpty else {
            throw ImportError(.emptyLayer, file: file, "aucune entité du Québec dans la couche « \(layer.name) »")
        }

        // Dissolve same-code features, measure, and check the layer is in Quebec.
        var units: [TerritorialUnit] = []
        var dissolved = 0
        var extent: BBox?
        for code in order {
            let p = pending[code]!
            var geometry: MultiPolygon
            if p.geometries.count > 1 {
                geometry = try Geometry.union(p.geometries).asMultiPolygon
                dissolved += 1
                warnings.append("code \(code) (\(p.name)) : \(p.geometries.count) entités fusionnées en un multipolygone")
            } else {
                geometry = p.geometries[0].asMultiPolygon
            }
            let g = Geometry.multiPolygon(geometry)
            if let b = g.bbox { extent = extent?.union(b) ?? b }
            let area = try g.areaSquareMetres() / 1_000_000
            units.append(TerritorialUnit(level: o.level, code: code, name: p.name, designation: p.designation,
                                         mrcCode: o.level == .municipality ? p.mrc : nil,
                                         regionCode: o.level == .region ? nil : p.region, areaKm2: area, geometry: geometry))
        }
        if let extent, !extent.intersects(QuebecExtent.bbox) {
            throw ImportError(.outsideQuebec, file: file,
                              "la couche ne recouvre pas le Québec (étendue \(fmt(extent)) en WGS84, SCR \(sourceCRS)) : mauvais SCR, axes inversés ou autre territoire ?")
        }

        // Everything is checked: write it all in one transaction.
        let sha = try FileDigest.sha256(file)
        var entry = ImportLogEntry(kind: "boundaries", level: o.level.rawValue, sourceFile: ImportWriter.sourceFile(file), sha256: sha,
                                   featuresRead: layer.features.count, units: units.count, repaired: repaired,
                                   dissolved: dissolved, warnings: warnings,
                                   parameters: ["preset": o.preset.rawValue, "crs": sourceCRS.description,
                                                "layer": layer.name, "driver": layer.driver]
                                       .merging(demo ? ["demo": "true"] : [:]) { a, _ in a })
        var coast: CoastReport?
        let (report, hierarchy) = try Stores.writing(to: storePath) { store throws -> (ImportLogEntry, HierarchyReport) in
            // A code drawn in two MRC or two regions is one file's mistake, never one unit that straddles them.
            let straddling = try ParentCheck.straddling(order.compactMap { pending[$0] }.filter { $0.features.count > 1 },
                                                        level: o.level, store: store)
            if !straddling.isEmpty {
                throw ImportError(.conflictingDuplicate, file: file,
                                  location: straddling.count == 1 ? "code \(straddling[0].code)" : "\(straddling.count) codes",
                                  ParentCheck.message(straddling))
            }
            let id = try store.logImport(entry)
            entry.id = id
            for u in units {
                if try store.upsert(u, importID: id) { entry.replaced += 1 } else { entry.inserted += 1 }
            }
            let h = try Hierarchy.resolve(store: store)
            entry.warnings += h.warnings
            try store.updateImport(id, entry)
            try store.refreshExtents()
            // Derived state: the coast classification, redone with its distance for the new boundaries.
            coast = try CoastClassifier.refresh(store: store)
            return (entry, h)
        }
        return ImportReport(log: report, hierarchy: hierarchy, coast: coast)
    }

    /// A feature's geometry, checked (present, of an accepted type, closed rings
    /// of four points or more, finite) and reprojected; else an `ImportError`
    /// naming the feature.
    static func checkedGeometry(_ f: SourceFeature, file: String, location loc: String, expected: String,
                                accept: (Geometry) -> Bool, reproject: Projection?) throws -> Geometry {
        if let p = f.geometryProblem {
            throw ImportError(.invalidGeometry, file: file, location: loc, "géométrie illisible : \(p)")
        }
        guard let g = f.geometry, !g.isEmpty else {
            throw ImportError(.missingGeometry, file: file, location: loc, "géométrie absente ou vide")
        }
        guard accept(g) else {
            throw ImportError(.wrongGeometryType, file: file, location: loc, "géométrie \(g.typeName) : \(expected) est attendu")
        }
        do { try g.checkStructure() } catch {
            throw ImportError(.invalidGeometry, file: file, location: loc, error.description)
        }
        var wgs84 = g
        if let reproject {
            do { wgs84 = try reproject(g) } catch {
                throw ImportError(.reprojection, file: file, location: loc,
                                  "reprojection de \(reproject.source) vers WGS84 impossible : \(error)")
            }
        }
        // Coordinates off the globe (a corrupted value such as 1e308, or the wrong CRS) would fail later, in the
        // area's projection, without naming the feature.
        if let b = wgs84.bbox, !(b.minX >= -180 && b.maxX <= 180 && b.minY >= -90 && b.maxY <= 90) {
            throw ImportError(.invalidGeometry, file: file, location: loc,
                              "coordonnées hors du globe en WGS84 (longitudes \(b.minX) à \(b.maxX), latitudes \(b.minY) à \(b.maxY)) : valeur corrompue ou SCR erroné (--crs)")
        }
        return wgs84
    }

    static func readLayer(file: String, layer: String?) throws -> SourceLayer {
        do { return try VectorSource.read(path: file, layer: layer) } catch let e as SourceError {
            switch e {
            case .fileNotFound: throw ImportError(.fileNotFound, file: file, "fichier introuvable")
            case .refused: throw ImportError(.notAGeoFile, file: file, e.message)
            case .notAGeoFile(_, let m):
                throw ImportError(.notAGeoFile, file: file, "ce n'est pas un fichier géographique lisible (GDAL : \(m))")
            case .noLayer: throw ImportError(.emptyLayer, file: file, "aucune couche vectorielle")
            case .layerNotFound(_, let l, let a):
                throw ImportError(.unknownField, file: file, "couche « \(l) » introuvable ; couches présentes : \(a.joined(separator: ", "))")
            }
        }
    }

    /// Maps roles to the file's fields, from the preset and the overrides.
    static func resolveFields(layer: SourceLayer, options o: BoundaryImportOptions, file: String) throws -> [BoundaryPreset.Role: String] {
        if o.preset == .statcan && o.level == .region {
            throw ImportError(.presetLevelUnsupported, file: file,
                              "le préréglage statcan n'a pas de niveau région (Statistique Canada ne publie pas les régions administratives) : utilisez --preset sda ou custom")
        }
        let available = layer.fields
        let list = available.joined(separator: ", ")
        var result: [BoundaryPreset.Role: String] = [:]
        let candidates = o.preset.fields(for: o.level)
        for (role, names) in candidates {
            if let found = names.first(where: available.contains) { result[role] = found }
        }
        for (roleName, field) in o.fieldOverrides {
            guard let role = BoundaryPreset.Role(rawValue: roleName) else {
                throw ImportError(.unknownRole, file: file,
                                  "--field \(roleName)=\(field) : rôle inconnu ; rôles possibles : \(BoundaryPreset.Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard available.contains(field) else {
                throw ImportError(.unknownField, file: file,
                                  "champ « \(field) » (--field \(roleName)) introuvable ; champs présents : \(list)")
            }
            result[role] = field
        }
        for role in [BoundaryPreset.Role.code, .name] where result[role] == nil {
            let expected = candidates[role]?.joined(separator: " ou ")
            throw ImportError(.unknownField, file: file,
                              expected.map { "champ \($0) (préréglage \(o.preset.rawValue), rôle \(role.rawValue)) introuvable ; champs présents : \(list)" }
                                ?? "aucun champ pour le rôle \(role.rawValue) : ajoutez --field \(role.rawValue)=CHAMP ; champs présents : \(list)")
        }
        return result
    }

    /// The CRS to read the file in: `--crs`, else the file's, else an error.
    static func sourceCRS(layer: SourceLayer, override: String?, file: String) throws -> CRS {
        if let override {
            let c = CRS(override)
            guard c.isKnownToPROJ else {
                throw ImportError(.unknownCRS, file: file, "--crs \(override) : SCR inconnu de PROJ (exemple : EPSG:32198)")
            }
            return c
        }
        if let name = layer.crsName, name == "EPSG:4326" { return .wgs84 }
        if let wkt = layer.crsWKT { return CRS(layer.crsName ?? wkt) }
        throw ImportError(.missingCRS, file: file,
                          "le fichier ne déclare aucun système de coordonnées : précisez-le avec --crs (par exemple --crs EPSG:32198 ou EPSG:4269)")
    }

    static func codeError(_ p: Codes.Problem, file: String, feature: Int, field: String, value: String) -> ImportError {
        let loc = ImportError.feature(feature)
        switch p {
        case .notNumeric:
            return ImportError(.nonNumericCode, file: file, location: loc, "champ \(field) : code « \(value) » non numérique")
        case .tooLong(let m):
            return ImportError(.nonNumericCode, file: file, location: loc, "champ \(field) : code « \(value) » trop long (\(m) chiffres au plus)")
        case .wrongProvince(let pr):
            return ImportError(.wrongProvince, file: file, location: loc, "champ \(field) : code « \(value) » hors Québec (province \(pr), 24 attendu)")
        }
    }

    static func fmt(_ b: BBox) -> String {
        "[" + [b.minX, b.minY, b.maxX, b.maxY].map { NumberFormat.fixed($0, 3) }.joined(separator: ", ") + "]"
    }
}
