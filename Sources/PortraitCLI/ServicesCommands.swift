import ArgumentParser
import PortraitRender
import PortraitStore
import PortraitReport
import Foundation
import PortraitGeometry
import PortraitImport
import PortraitModel
import PortraitSpatial
import PortraitTerritory

extension ServicePreset: ExpressibleByArgument { public static var allValueStrings: [String] { [] } }
extension GeoJSONExport.Layer: ExpressibleByArgument { public static var allValueStrings: [String] { [] } }

struct ImportServices: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract: "Importer des services d'une catégorie (points GeoJSON, ou CSV avec lat/lon), en remplaçant cette catégorie.")

    @Argument(help: "Fichier de points.") var file: String
    @Option(help: "Catégorie (ex. ecole, clsc, sante).") var category: String
    @Option(help: Choices.help("Préréglage", ServicePreset.self)) var preset: ServicePreset = .custom
    @Option(name: .customLong("field"), help: ArgumentHelp("Rôle et champ : name=, address=, municipality=, capacity= (répétable).", valueName: "role=CHAMP"))
    var fields: [String] = []
    @Option(help: "Millésime des données.") var vintage: Int?
    @Flag(name: .customLong("all-sources"), help: "ODHF : garder aussi les lignes qui ne viennent pas du MSSS.") var allSources = false
    @Option(help: Choices.help("Format du rapport", OutputFormat.self)) var format: OutputFormat = .text
    @OptionGroup var store: StoreOption

    func run() throws {
        try reportingErrors(newStore: store) {
            var roles: [String: String] = [:]
            for f in fields {
                let p = f.split(separator: "=", maxSplits: 1).map(String.init)
                guard p.count == 2 else { throw ValidationError("--field \(f) : forme role=CHAMP attendue") }
                roles[p[0]] = p[1]
            }
            let r = try ServiceImporter.run(file: file, category: category, preset: preset, fields: roles, vintage: vintage,
                                            allSources: allSources, storePath: store.path)
            if format == .json { printOut(try ReportText.json(r)); return }
            var out = "Services « \(r.category) » : \(r.kept) gardés sur \(r.log.featuresRead) lignes (remplacés : \(r.log.replaced))\n"
            if r.filtered > 0 { out += "  \(r.filtered) ligne(s) écartée(s) par le préréglage (source autre que le MSSS)\n" }
            for (label, rows) in [("sans coordonnées", r.withoutCoordinates), ("hors Québec", r.outsideQuebec),
                                  ("hors des territoires importés", r.outsideTerritory), ("doublons", r.duplicates)] where !rows.isEmpty {
                out += "  \(label) (\(rows.count)) :\n" + rows.prefix(10).map { "    ligne \($0.row) \($0.name) : \($0.problem)" }.joined(separator: "\n") + "\n"
                if rows.count > 10 { out += "    … et \(rows.count - 10) autres (--format json pour la liste complète)\n" }
            }
            printOut(out)
        }
    }
}

struct ImportMobilisations: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mobilisations", abstract: "Importer les mobilisations (format mobilisations_seeds.csv) et leurs cibles.")

    @Argument(help: "Fichier des mobilisations.") var file: String
    @Option(help: "Fichier des cibles (mobilisation_id, axe, indicateur, cible, unite, echeance, source).") var targets: String?
    @Option(help: Choices.help("Format du rapport", OutputFormat.self)) var format: OutputFormat = .text
    @OptionGroup var store: StoreOption

    func run() throws {
        try reportingErrors(newStore: store) {
            let r = try MobilisationImporter.run(file: file, targets: targets, storePath: store.path)
            if format == .json { printOut(try ReportText.json(r)); return }
            var out = "Mobilisations : \(r.imported) importées (nouvelles \(r.log.inserted), remplacées \(r.log.replaced)), \(r.targets) cibles\n"
            for p in r.problems { out += "  ligne \(p.row) (\(p.id)) : \(p.problem)\n" }
            printOut(out)
        }
    }
}

struct ImportPlan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Importer un plan d'action et ses cibles (CSV, XLSX ; une ligne par cible).")

    @Argument(help: "Fichier du plan (mobilisation_id, indicateur, cible, … ; voir README).") var file: String
    @Option(help: Choices.help("Format du rapport", OutputFormat.self)) var format: OutputFormat = .text
    @OptionGroup var store: StoreOption

    func run() throws {
        try reportingErrors(newStore: store) {
            let r = try PlanImporter.run(file: file, storePath: store.path)
            if format == .json { printOut(try ReportText.json(r)); return }
            var out = "Plans : \(r.plans.map { "\($0.id) (\($0.title))" }.joined(separator: ", ")) ; \(r.targets) cibles\n"
            for w in r.warnings { out += "  \(w)\n" }
            printOut(out)
        }
    }
}

struct ImportMeasurements: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measurements", abstract: "Importer des mesures des cibles (cible, territoire, date, valeur, source, commentaire).")

    @Argument(help: "Fichier des mesures.") var file: String
    @Option(help: "Chercher les cibles dans ce plan seulement.") var plan: String?
    @Flag(help: "Refuser tout le fichier si une ligne ne peut être lue (par défaut : elle est listée et laissée de côté).") var strict = false
    @Option(help: Choices.help("Format du rapport", OutputFormat.self)) var format: OutputFormat = .text
    @OptionGroup var store: StoreOption

    func run() throws {
        try reportingErrors(newStore: store) {
            let r = try MeasurementImporter.run(file: file, plan: plan, strict: strict, storePath: store.path)
            if format == .json { printOut(try ReportText.json(r)); return }
            var out = "Mesures : \(r.imported) importées (nouvelles \(r.log.inserted), remplacées \(r.replaced))"
            out += r.rejected.isEmpty ? "\n" : ", \(r.rejected.count) ligne(s) laissée(s) de côté :\n"
            for x in r.rejected { out += "  ligne \(x.row), colonne \(x.column) : \(x.problem)\n" }
            printOut(out)
        }
    }
}

struct GapsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gaps", abstract: "Municipalités éloignées d'un service, population concernée, priorités (population × km au-delà de la limite × besoin), 2SFCA.")

    @OptionGroup var territory: TerritoryOption
    @Option(help: "Catégorie de service.") var category: String
    @Option(name: [.customLong("max-km"), .customLong("radius-km")], help: "Distance maximale en km (--radius-km : même option).") var maxKm: Double = 15
    @Option(name: .customLong("max-min"), help: "Temps maximal en minutes par la route (réseau de portrait import roads) au lieu de la distance à vol d'oiseau.") var maxMinutes: Double?
    @Option(help: "Indicateur de besoin (ex. ive, defavorisation_materielle).") var need: String?
    @Option(help: "Indicateur de comptage dont les personnes sont comptées au lieu de la population (ex. une population de 0 à 17 ans).") var base: String?
    @Option(help: Choices.help("Format", OutputFormat.self)) var format: OutputFormat = .text
    @OptionGroup var store: StoreOption

    func run() throws {
        try reportingErrors {
            let g = try GapAnalysis.run(storePath: store.path, territory: try territory.territory(store: store),
                                        category: category, maxKm: maxKm, need: need, base: base, maxMinutes: maxMinutes)
            if format == .json { printOut(try ReportText.json(g)); return }
            let limit = g.maxMinutes.map { "\(NumberFormat.shortest($0)) minutes par la route" } ?? "\(NumberFormat.shortest(maxKm)) km à vol d'oiseau"
            var out = "\(g.territory.name) : \(g.gaps.count) unité(s) (municipalités, TNO ou réserves) à plus de \(limit) d'un service « \(category) » (\(g.services) services « \(category) » dans tout le magasin, où qu'ils soient, pour le plus proche)\n"
            out += "  mesure : \(g.measure)\n"
            out += "  \(base.map { "personnes concernées (\($0))" } ?? "population concernée") : \(NumberText.format(g.populationConcerned)) (\(NumberText.percent(g.populationShare)))\n"
            if let area = g.gapAreaKm2 { out += "  superficie hors de portée : \(NumberText.format(area, decimals: 1)) km²\n" }
            out += "  \(g.priorityFormula["fr"] ?? "")\n"
            for (i, r) in g.gaps.enumerated() {
                let far = g.maxMinutes != nil
                    ? (r.nearestMinutes.map { NumberText.format($0, decimals: 0) + " min par la route"
                        + (r.offNetworkKm.map { $0 >= 0.1 ? ", dont " + NumberText.format($0, decimals: 1) + " km hors réseau" : "" } ?? "")
                        + (r.nearestKm.map { " (" + NumberText.format($0, decimals: 1) + " km à vol d'oiseau)" } ?? "") } ?? "aucun service atteignable par la route")
                    : (r.nearestKm.map { NumberText.format($0, decimals: 1) + " km" } ?? "aucun service")
                out += "  \(i + 1). \(r.name) (\(r.code)) : \(far), "
                out += "\(r.population.map { NumberText.format($0) } ?? "?") hab." + (r.highNeed == true ? ", besoin élevé" : "")
                out += ", priorité \(r.priority.map { NumberText.format($0) } ?? "—")\n"
            }
            printOut(out)
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Une couche ou une analyse (municipalities, services, gaps, service_areas, mobilisations) en GeoJSON (RFC 7946), CSV ou XLSX.",
        discussion: "CSV et XLSX : une ligne par entité, ses propriétés, la longitude et la latitude d'un point ; à côté de chaque indicateur, son unité, son millésime et sa source. CSV en UTF-8 avec BOM, ou --excel-fr.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case geojson, csv, xlsx
        static var allValueStrings: [String] { [] }   // listed in French by `Choices`
    }

    @Argument(help: Choices.help("Couche", GeoJSONExport.Layer.self)) var layer: GeoJSONExport.Layer
    @OptionGroup var territory: TerritoryOption
    @Option(help: "Emprise lon/lat : --bbox=minLon,minLat,maxLon,maxLat (avec =, à cause du signe moins).") var bbox: String?
    @Option(name: .customLong("simplify-m"), help: "Simplification en mètres (frontières communes gardées).") var simplifyM: Double?
    @Option(name: [.customLong("max-km"), .customLong("radius-km")], help: "Rayon des comptes et des lacunes, en km (--radius-km : même option).") var radiusKm: Double = 15
    @Option(help: "Catégorie (export gaps, service_areas).") var category: String?
    @Option(help: "Export service_areas : limites en minutes par la route, séparées par des virgules.") var minutes: String = "10,20,30"
    @Option(name: .customLong("max-min"), help: "Export gaps : temps maximal en minutes par la route (réseau routier importé).") var maxMinutes: Double?
    @Option(help: "Indicateur de besoin (export gaps).") var need: String?
    @Option(help: "Export municipalities : variation de chaque indicateur depuis ce millésime (colonnes _variation, _variation_pct, _taux_annuel).") var compare: Int?
    @Option(name: .shortAndLong, help: "Fichier de sortie.") var output: String
    @Option(help: Choices.help("Format", Format.self)) var format: Format = .geojson
    @Flag(name: .customLong("excel-fr"), help: "CSV pour Excel en français : points-virgules et virgules décimales.") var excelFR = false
    @OptionGroup var store: StoreOption

    func validate() throws {
        if let bbox, bbox.split(separator: ",").compactMap({ Double($0) }).count != 4 {
            throw ValidationError("--bbox minLon,minLat,maxLon,maxLat attendu")
        }
        _ = try limits()
        if let maxMinutes, !(maxMinutes > 0 && maxMinutes <= 600) { throw ValidationError("--max-min entre 0 et 600 minutes") }
    }

    /// `--minutes`: one to six limits, each above 0 and at most 600 minutes.
    func limits() throws -> [Double] {
        guard let values = ServiceAreas.limits(minutes) else { throw ValidationError("--minutes : " + ServiceAreas.limitsRule) }
        return values
    }

    func run() throws {
        try reportingErrors {
            let b = bbox.map { $0.split(separator: ",").compactMap { Double($0) } }.map { BBox(minX: $0[0], minY: $0[1], maxX: $0[2], maxY: $0[3]) }
            let fc = try GeoJSONExport.export(layer, storePath: store.path, options: .init(
                territory: try territory.territory(store: store), bbox: b, simplifyMetres: simplifyM,
                radiusKm: radiusKm, category: category, need: need, compare: compare, minutes: try limits(), maxMinutes: maxMinutes))
            switch format {
            case .geojson: try GeoJSONWriter().string(fc).write(toFile: output, atomically: true, encoding: .utf8)
            case .csv, .xlsx:
                let t = try LayerTable.table(fc, name: layer.rawValue, store: try Stores.open(store.path))
                try (format == .csv ? CSVWriter.data(t, excelFR: excelFR) : XLSXWriter.data([t])).write(to: URL(fileURLWithPath: output))
            }
            printOut("\(output) : \(fc.features.count) entités\n")
        }
    }
}

struct NearestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nearest",
        abstract: "Distance (km, EPSG:32198) de chaque lieu au service le plus proche, hors magasin : deux fichiers de points (GeoJSON, ou CSV lat/lon).",
        discussion: """
            Le CSV écrit garde toutes les colonnes du fichier des lieux (leur code, leur nom…), puis : km_vol_oiseau, et le service \
            le plus proche (service_ligne, service_id, service_nom, service_categorie, lus dans les colonnes usuelles ou celles \
            données par --service-id, --service-name, --service-category). Un lieu sans point est listé sur la sortie d'erreur.
            """)

    @Option(help: "Lieux (points).") var from: String
    @Option(help: "Services (points).") var to: String
    @Option(name: .customLong("service-id"), help: "Colonne de l'identifiant du service (défaut : id, code, CD_ORGNS…).") var serviceID: String?
    @Option(name: .customLong("service-name"), help: "Colonne du nom du service (défaut : nom, name, NOM_IMM…).") var serviceName: String?
    @Option(name: .customLong("service-category"), help: "Colonne de la catégorie du service (défaut : categorie, type, odhf_type…).") var serviceCategory: String?
    @Option(name: .customLong("roads"), help: "Réseau routier (extrait OpenStreetMap .osm.pbf ou .osm, ou couche de lignes) : mesure par la route.") var roads: String?
    @Option(help: Choices.help("Mesure par la route : minutes (time) ou kilomètres (distance)", Routing.Measure.self)) var by: Routing.Measure = .time
    @Option(name: .customLong("speed-field"), help: "Couche de lignes : champ de la vitesse (km/h).") var speedField: String?
    @Option(name: .customLong("class-field"), help: "Couche de lignes : champ de la classe de route (vitesses de --speeds).") var classField: String?
    @Option(name: .customLong("oneway-field"), help: "Couche de lignes : champ du sens unique.") var onewayField: String?
    @Option(help: Choices.help("Table des vitesses par classe", RoadSpeedTable.self)) var speeds: RoadSpeedTable = .osm
    @Option(name: .customLong("off-road-kmh"), help: "Vitesse de la part du trajet hors du réseau (du lieu ou du service à la route la plus proche).") var offRoadKmh: Double = Routing.defaultOffRoadKmh
    @Option(name: .shortAndLong, help: "CSV de sortie (défaut : sortie standard).") var output: String?

    enum RoadSpeedTable: String, ExpressibleByArgument, CaseIterable {
        case osm, aqreseau
        static var allValueStrings: [String] { [] }
        var table: RoadSpeeds { self == .osm ? .osm : .aqreseau }
    }

    static let idFields = ["id", "identifiant", "code", "CD_ORGNS", "CD_IMM", "synthea_id", "ID", "Code"]
    static let nameFields = ["nom", "name", "Nom", "NOM", "Name", "NAME", "NOM_IMM", "NOM_OFFCL_ORGNS", "facility_name", "nom_etablissement"]
    static let categoryFields = ["categorie", "category", "catégorie", "type", "odhf_type", "TYPE_ORGNS", "ORDRE_ENS"]

    func run() throws {
        try reportingErrors {
            for f in [serviceID, serviceName, serviceCategory].compactMap({ $0 }) { try NameRule.checkField(f, option: "service-*") }
            let places = try VectorSourceReader.pointFeatures(from), services = try VectorSourceReader.pointFeatures(to)
            /// The column given, which must exist, or the first usual one the file has.
            func column(_ given: String?, _ usual: [String], option: String) throws -> String? {
                if let given {
                    guard services.fields.contains(given) else {
                        throw ImportError(.unknownField, file: to, "colonne « \(given) » (--\(option)) introuvable ; colonnes présentes : \(services.fields.joined(separator: ", "))")
                    }
                    return given
                }
                return usual.first(where: services.fields.contains)
            }
            let idField = try column(serviceID, Self.idFields, option: "service-id")
            let nameField = try column(serviceName, Self.nameFields, option: "service-name")
            let categoryField = try column(serviceCategory, Self.categoryFields, option: "service-category")
            let nearest = try Access.nearest(from: places.points.map(\.position), to: services.points.map(\.position))
            if let roads {
                try byRoad(roads, places: places, services: services, crow: nearest, idField: idField, nameField: nameField, categoryField: categoryField)
                return
            }
            let ours = ["ligne", "km_vol_oiseau", "service_ligne", "service_id", "service_nom", "service_categorie"]
            let placeColumns = places.fields.map { ours.contains($0) ? "lieu_\($0)" : $0 }
            // Written row by row: a million places make a million rows.
            var csv = CSVWriter.Rows(columns: ["ligne"] + placeColumns + Array(ours.dropFirst()), capacity: places.points.count)
            let id = services.fields.firstIndex { $0 == idField }, name = services.fields.firstIndex { $0 == nameField }
            let category = services.fields.firstIndex { $0 == categoryField }
            func text(_ v: String?) { if let v, !v.isEmpty { csv.text(v) } else { csv.empty() } }
            for (i, p) in places.points.enumerated() {
                csv.integer(p.row)
                for v in p.values { text(v) }
                if let n = nearest[i] {
                    let s = services.points[n.index]
                    csv.number((n.km * 1000).rounded() / 1000); csv.integer(s.row)
                    for f in [id, name, category] { text(f.flatMap { s.values[$0] }) }
                } else {
                    for _ in 0..<5 { csv.empty() }
                }
                csv.end()
            }
            if let output { try csv.data.write(to: URL(fileURLWithPath: output)) } else { printOut(String(decoding: csv.bytes.dropFirst(3), as: UTF8.self)) }
            if !places.withoutPoint.isEmpty {
                printErr("\(from) : \(places.withoutPoint.count) lieu(x) sans point, laissé(s) de côté : lignes \(places.withoutPoint.prefix(20).map(String.init).joined(separator: ", "))\n")
            }
            if !services.withoutPoint.isEmpty {
                printErr("\(to) : \(services.withoutPoint.count) service(s) sans point, laissé(s) de côté : lignes \(services.withoutPoint.prefix(20).map(String.init).joined(separator: ", "))\n")
            }
            if nameField == nil { printErr("\(to) : aucune colonne de nom reconnue (colonnes : \(services.fields.joined(separator: ", "))) ; donnez --service-name\n") }
        }
    }

    /// The nearest service by road: minutes or kilometres, the metres off the network, the service reached, and the
    /// straight-line kilometres to the nearest service as the crow flies beside them.
    func byRoad(_ file: String, places: (fields: [String], points: [VectorSourceReader.PointRow], withoutPoint: [Int]),
                services: (fields: [String], points: [VectorSourceReader.PointRow], withoutPoint: [Int]),
                crow: [(index: Int, km: Double)?], idField: String?, nameField: String?, categoryField: String?) throws {
        var o = RoadReadOptions()
        o.speeds = speeds.table; o.speedField = speedField; o.classField = classField; o.onewayField = onewayField
        for f in [speedField, classField, onewayField].compactMap({ $0 }) { try NameRule.checkField(f, option: "*-field") }
        guard offRoadKmh > 0, offRoadKmh <= 200 else { throw ValidationError("--off-road-kmh entre 0 et 200") }
        let (network, report) = try RoadReader.read(file: file, options: o)
        let routing = Routing(network: network, offRoadKmh: offRoadKmh)
        let answers = try routing.nearest(from: places.points.map(\.position), to: services.points.map(\.position), by: by)
        let value = by == .time ? "minutes_route" : "km_route"
        let ours = ["ligne", value, "hors_reseau_m", "service_ligne", "service_id", "service_nom", "service_categorie", "km_vol_oiseau"]
        let placeColumns = places.fields.map { ours.contains($0) ? "lieu_\($0)" : $0 }
        var rows: [[DataTable.Cell]] = []
        var unreached = 0
        for (i, p) in places.points.enumerated() {
            var r: [DataTable.Cell] = [.integer(p.row)] + p.values.map { .of($0) }
            if let a = answers[i] {
                let s = services.points[a.service]
                // Minutes to the hundredth (0.6 s), kilometres to the metre.
                let v = by == .time ? (a.cost * 100).rounded() / 100 : (a.cost).rounded() / 1000
                r += [.number(v), .number(a.offMetres.rounded()), .integer(s.row)]
                    + [idField, nameField, categoryField].map { f in .of(services.fields.firstIndex { $0 == f }.flatMap { s.values[$0] }) }
            } else {
                unreached += 1
                r += [.empty, .empty, .empty, .empty, .empty, .empty]
            }
            r.append(crow[i].map { .number((Geodesic.distance(p.position, services.points[$0.index].position) / 1000 * 1000).rounded() / 1000) } ?? .empty)
            rows.append(r)
        }
        let table = DataTable(name: "plus_proche_route", title: "Service le plus proche de chaque lieu, par la route",
                              columns: ["ligne"] + placeColumns + Array(ours.dropFirst()), rows: rows)
        let data = CSVWriter.data(table)
        if let output { try data.write(to: URL(fileURLWithPath: output)) } else { printOut(String(decoding: data.dropFirst(3), as: UTF8.self)) }
        printErr("réseau : \(network.source), \(report.linesKept) routes gardées sur \(report.linesRead) (\(report.ferries) traversier(s)), "
                 + "\(report.nodes) nœuds, \(report.edges) arcs, \(NumberText.format(report.lengthKm, decimals: 1)) km, \(report.components) composante(s) connexe(s), "
                 + "\(NumberText.percent(report.lengthOutsideLargest)) de la longueur hors de la plus grande ; "
                 + (by == .time ? "temps de parcours par la route (vitesses \(speeds.rawValue), hors réseau à \(NumberText.format(offRoadKmh)) km/h)" : "distance par la route")
                 + (report.withoutSpeed > 0 ? " ; \(report.withoutSpeed) route(s) sans vitesse lisible, à la vitesse de leur classe (lignes \(report.withoutSpeedRows.map(String.init).joined(separator: ", ")))" : "")
                 + (unreached > 0 ? " ; \(unreached) lieu(x) sans service atteignable par la route" : "") + "\n")
    }
}

struct ImportPlaces: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "places", abstract: "Importer des lieux habités (points de population) : les distances partent de là.")

    @Argument(help: "Fichier de points (ex. Lieux habités de Données Québec).") var file: String
    @Option(name: .customLong("name-field"), help: "Champ du nom du lieu.") var nameField: String?
    @OptionGroup var store: StoreOption

    func run() throws {
        try reportingErrors(newStore: store) {
            let r = try PlacesImporter.run(file: file, nameField: nameField, storePath: store.path)
            printOut("Lieux habités : \(r.kept) gardés, \(r.outsideTerritory) hors des territoires importés (sur \(r.log.featuresRead))\n")
        }
    }
}

struct PackageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "package",
        abstract: "La sélection d'un territoire en GeoPackage pour un SIG : ses municipalités avec leurs indicateurs, ses services, ses mobilisations, les lacunes de chaque catégorie et les styles que QGIS ouvre.")

    @OptionGroup var territory: TerritoryOption
    @Option(name: [.customLong("max-km"), .customLong("radius-km")], help: "Distance des lacunes et des services retenus autour du territoire, en km.") var maxKm: Double = 15
    @Option(name: .shortAndLong, help: "GeoPackage à écrire (nouveau fichier).") var output: String
    @OptionGroup var store: StoreOption

    func run() throws {
        try reportingErrors {
            let r = try SelectionPackage.write(from: try Stores.open(store.path), territory: try territory.territory(store: store), to: output,
                                               stylesDirectory: StyleCatalogue.directory(nil), maxKm: maxKm)
            printOut("\(output) : \(r.municipalities) municipalités, \(r.services) services, couches \(r.gapLayers.joined(separator: ", ")), styles QGIS\n")
        }
    }
}
extension Routing.Measure: ExpressibleByArgument { public static var allValueStrings: [String] { [] } }
