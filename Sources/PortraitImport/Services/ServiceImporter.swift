import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial
import PortraitStore

/// Column layouts of the service files Portrait knows.
public enum ServicePreset: String, CaseIterable, Codable, Sendable {
    /// Ministère de l'Éducation, *Établissements d'enseignement* (GeoJSON points).
    case meqSchools = "meq-schools"
    /// Statistics Canada, Open Database of Healthcare Facilities (CSV with lat/lon, or GeoJSON).
    case odhf
    /// Fields named with `--field name=… --field address=…`.
    case custom

    var fields: [String: [String]] {
        switch self {
        case .meqSchools: ["name": ["NOM_IMM", "NOM_OFFCL_ORGNS"], "address": ["ADRS_GEO_L1_GDUNO_IMM"],
                           "municipality": ["CD_MUNCP_GDUNO_IMM"], "capacity": ["CAPACITE", "capacity"]]
        case .odhf: ["name": ["name", "facility_name"], "address": ["address", "street_no"], "capacity": ["capacity", "beds"]]
        // Without --field: the usual names of a name, address, municipality and capacity column.
        case .custom: ["name": ["name", "nom", "NOM", "Nom", "NAME", "Name", "nom_etablissement", "etablissement"],
                       "address": ["address", "adresse", "ADRESSE", "Adresse"],
                       "municipality": ["code_municipal", "MUS_CO_GEO", "code_mun", "CODE_MUN"],
                       "capacity": ["capacity", "capacite", "places", "CAPACITE"]]
        }
    }
}

/// What a service import found.
public struct ServiceImportReport: Codable, Sendable {
    public struct Row: Codable, Sendable, Hashable {
        public var row: Int
        public var name: String
        public var problem: String
    }
    public var log: ImportLogEntry
    public var category: String
    public var kept: Int
    /// Rows left out by the preset's filter (ODHF rows not from the MSSS), with the count only.
    public var filtered: Int
    public var withoutCoordinates: [Row]
    public var outsideQuebec: [Row]
    public var outsideTerritory: [Row]
    public var duplicates: [Row]
    enum CodingKeys: String, CodingKey {
        case log, category, kept, filtered, withoutCoordinates = "without_coordinates", outsideQuebec = "outside_quebec",
             outsideTerritory = "outside_territory", duplicates
    }
}

/// Imports service points (schools, CLSC, …) of one category, replacing that
/// category in the `services` layer, in one transaction.
public enum ServiceImporter {
    public static let duplicateMetres = 25.0

    public static func run(file: String, category rawCategory: String, preset: ServicePreset = .custom,
                           fields overrides: [String: String] = [:], vintage: Int? = nil, allSources: Bool = false,
                           source: String? = nil, storePath: String) throws -> ServiceImportReport {
        for (role, f) in overrides { try NameRule.checkIdentifier(role, option: "field (avant =)"); try NameRule.checkField(f, option: "field \(role)=") }
        if let source { try NameRule.checkText(source, option: "source") }
        let category = rawCategory.trimmingCharacters(in: .whitespaces).lowercased()
        guard !category.isEmpty, category.allSatisfy({ ($0.isLetter && $0.isASCII) || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw ImportError(.missingValue, file: file, "--category « \(rawCategory) » : lettres sans accents, chiffres, - ou _ (ex. ecole, clsc)")
        }
        let layer: SourceLayer
        do {
            layer = try VectorSource.read(path: file, openOptions: [
                "X_POSSIBLE_NAMES=lon,longitude,long,x", "Y_POSSIBLE_NAMES=lat,latitude,y", "KEEP_GEOM_COLUMNS=NO",
                "AUTODETECT_TYPE=NO"])
        } catch let e as SourceError {
            throw ImportError(.notAGeoFile, file: file, e.message)
        }
        guard !layer.features.isEmpty else { throw ImportError(.emptyLayer, file: file, "aucune ligne") }
        var roles: [String: String] = [:]
        for (role, names) in preset.fields { if let f = names.first(where: layer.fields.contains) { roles[role] = f } }
        for (role, f) in overrides {
            guard ["name", "address", "municipality", "capacity"].contains(role) else {
                throw ImportError(.unknownRole, file: file, "--field \(role)= : rôles possibles : name, address, municipality, capacity")
            }
            guard layer.fields.contains(f) else {
                throw ImportError(.unknownField, file: file, "champ « \(f) » introuvable ; champs présents : \(layer.fields.joined(separator: ", "))")
            }
            roles[role] = f
        }
        guard let nameField = roles["name"] else {
            throw ImportError(.unknownField, file: file, "aucun champ de nom (--field name=CHAMP) ; champs présents : \(layer.fields.joined(separator: ", "))")
        }
        let sourceCRS = try BoundaryImporter.sourceCRS(layer: layer, override: layer.crsWKT == nil ? "EPSG:4326" : nil, file: file)
        let toWGS84 = Projection(from: sourceCRS, to: .wgs84)

        let store = try Stores.open(storePath, writable: true)
        let units = try store.units(.municipality, withGeometry: true).filter { !$0.isAquatic }
        let unitIndex = try SpatialIndex(units.map { Geometry.multiPolygon($0.geometry) })
        let knownCodes = Set(units.map(\.code))
        var prepared: [Int: PreparedGeometry] = [:]

        var report = ServiceImportReport(log: ImportLogEntry(kind: "services"), category: category, kept: 0, filtered: 0,
                                         withoutCoordinates: [], outsideQuebec: [], outsideTerritory: [], duplicates: [])
        var services: [Service] = []
        var projected: [Position] = []
        var byKey: [String: [Int]] = [:]
        for f in layer.features {
            let row = f.index + (layer.driver == "CSV" ? 2 : 1)
            if preset == .odhf, !allSources, let p = f.attributes["source_provider"]?.text, p != "MSSS" { report.filtered += 1; continue }
            let name = f.attributes[nameField]?.text?.trimmingCharacters(in: .whitespaces) ?? ""
            guard case .point(let pt)? = f.geometry, pt.position.x.isFinite, pt.position.y.isFinite else {
                let problem = f.geometry.map { "géométrie \($0.typeName) : un point est attendu" } ?? "pas de coordonnées"
                report.withoutCoordinates.append(.init(row: row, name: name, problem: problem))
                continue
            }
            var p = pt.position
            if sourceCRS != .wgs84 { p = try toWGS84(p) }
            guard QuebecExtent.bbox.contains(p) else {
                let swapped = QuebecExtent.bbox.contains(Position(p.y, p.x))
                report.outsideQuebec.append(.init(row: row, name: name, problem: swapped
                    ? "hors Québec (\(p.x), \(p.y)) : latitude et longitude inversées ?" : "hors Québec (\(p.x), \(p.y))"))
                continue
            }
            // The file's municipal code (old merged codes carried over), else point in polygon.
            var code = roles["municipality"].flatMap { f.attributes[$0]?.text }.flatMap { try? Codes.municipal($0) }
                .map { CodeChanges.builtIn.current($0) }
            if let c = code, !knownCodes.contains(c) { code = nil }
            let point = Geometry.point(Point(p))
            if code == nil {
                for i in try unitIndex.query(point) {
                    if prepared[i] == nil { prepared[i] = try PreparedGeometry(.multiPolygon(units[i].geometry)) }
                    if try prepared[i]!.contains(point) { code = units[i].code; break }
                }
            }
            if code == nil {
                report.outsideTerritory.append(.init(row: row, name: name, problem: "hors des territoires importés (gardé sans municipalité)"))
            }
            let xy = try Projection.toQuebecLambert(p)
            // Each name normalised once; the services already kept under the same name looked up by key, not scanned.
            let key = IndicatorImporter.nameKey(name)
            if let j = byKey[key]?.first(where: { hypot(projected[$0].x - xy.x, projected[$0].y - xy.y) <= duplicateMetres }) {
                report.duplicates.append(.init(row: row, name: name, problem: "doublon de « \(services[j].name) » à moins de \(Int(duplicateMetres)) m"))
                continue
            }
            let capacity = roles["capacity"].flatMap { f.attributes[$0]?.text }.flatMap { CellValue.parse($0)?.number }
            services.append(Service(category: category, name: name.isEmpty ? "(sans nom)" : name,
                                    address: roles["address"].flatMap { f.attributes[$0]?.text },
                                    municipalityCode: code, capacity: capacity, source: source ?? (file as NSString).lastPathComponent,
                                    vintage: vintage, position: p))
            byKey[key, default: []].append(services.count - 1)
            projected.append(xy)
        }
        report.kept = services.count
        // Nothing usable: refuse rather than empty the category.
        guard !services.isEmpty else {
            let first = (report.withoutCoordinates + report.outsideQuebec + report.duplicates).prefix(3)
                .map { "ligne \($0.row) : \($0.problem)" }.joined(separator: " ; ")
            throw ImportError(.emptyLayer, file: file, "aucun service utilisable sur \(layer.features.count) ligne(s) (\(report.withoutCoordinates.count) sans point, "
                              + "\(report.outsideQuebec.count) hors Québec, \(report.filtered) écartée(s)) : \(first) ; la catégorie « \(category) » reste inchangée")
        }
        var entry = ImportLogEntry(kind: "services", level: category, sourceFile: ImportWriter.sourceFile(file), sha256: try FileDigest.sha256(file),
                                   featuresRead: layer.features.count, units: services.count, inserted: services.count,
                                   warnings: [report.withoutCoordinates.isEmpty ? nil : "\(report.withoutCoordinates.count) sans coordonnées",
                                              report.outsideQuebec.isEmpty ? nil : "\(report.outsideQuebec.count) hors Québec",
                                              report.outsideTerritory.isEmpty ? nil : "\(report.outsideTerritory.count) hors des territoires importés",
                                              report.duplicates.isEmpty ? nil : "\(report.duplicates.count) doublon(s)",
                                              report.filtered == 0 ? nil : "\(report.filtered) ligne(s) écartée(s) par le préréglage"].compactMap { $0 },
                                   parameters: ["category": category, "preset": preset.rawValue]
                                       .merging(vintage.map { ["vintage": String($0)] } ?? [:]) { a, _ in a })
        try store.transaction {
            let id = try store.logImport(entry)
            entry.id = id
            entry.replaced = try store.replaceServices(category: category, services, importID: id)
            try store.updateImport(id, entry)
        }
        report.log = entry
        return report
    }
}

