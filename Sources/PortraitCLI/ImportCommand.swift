import ArgumentParser
import Foundation
import PortraitGeometry
import PortraitImport
import PortraitModel
import PortraitStore
import PortraitTerritory

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Importer des données dans le magasin.",
        subcommands: [ImportBoundaries.self, ImportCoastline.self, ImportIndicators.self, ImportServices.self, ImportMobilisations.self, ImportPlan.self, ImportMeasurements.self, ImportPlaces.self, ImportTerritories.self, ImportRoads.self])
}

struct ImportBoundaries: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boundaries",
        abstract: "Importer des limites administratives (région, MRC ou municipalité).",
        discussion: """
        Préréglages :
          sda      MRNF, Système sur le découpage administratif : MUS_CO_GEO, MUS_NM_MUN, MUS_CO_DES,
                   MRS_CO_MRC, RES_CO_REG (municipalités) ; MRS_CO_MRC, MRS_NM_MRC, MRS_CO_REG (MRC) ;
                   RES_CO_REG, RES_NM_REG (régions).
          statcan  Statistique Canada : CSDUID, CSDNAME, CSDTYPE, CDUID, PRUID (subdivisions) ;
                   CDUID, CDNAME, PRUID (divisions). Seules les entités PRUID 24 sont gardées.
          custom   Les champs sont donnés par --field code=… --field name=… [designation, mrc, region].
        """)

    @Argument(help: "Fichier de limites (GeoJSON, Shapefile, GeoPackage, FileGDB… tout ce que lit GDAL).")
    var file: String

    @Option(help: Choices.help("Niveau", Level.self))
    var level: Level

    @Option(help: Choices.help("Préréglage de champs", BoundaryPreset.self))
    var preset: BoundaryPreset = .sda

    @Option(name: .customLong("field"), help: ArgumentHelp("Rôle et champ, ex. code=CODE_MUN (répétable).", valueName: "role=CHAMP"))
    var fields: [String] = []

    @Option(help: "SCR à supposer si le fichier n'en déclare pas (ex. EPSG:32198).")
    var crs: String?

    @Option(help: "Couche à lire dans un fichier à plusieurs couches.")
    var layer: String?

    @Option(help: Choices.help("Format du rapport", OutputFormat.self))
    var format: OutputFormat = .text

    @OptionGroup var store: StoreOption

    func validate() throws {
        for f in fields where f.split(separator: "=", maxSplits: 1).count != 2 {
            throw ValidationError("--field \(f) : la forme attendue est role=CHAMP (ex. code=MUS_CO_GEO)")
        }
        if preset == .custom && !fields.contains(where: { $0.hasPrefix("code=") }) {
            throw ValidationError("--preset custom demande au moins --field code=… et --field name=…")
        }
    }

    func run() throws {
        try reportingErrors(newStore: store) {
            var overrides: [String: String] = [:]
            for f in fields {
                let parts = f.split(separator: "=", maxSplits: 1).map(String.init)
                overrides[parts[0]] = parts[1]
            }
            let report = try BoundaryImporter.run(
                file: file,
                options: BoundaryImportOptions(level: level, preset: preset, fieldOverrides: overrides, crs: crs, layer: layer),
                storePath: store.path)
            printOut(format == .json ? try ReportText.json(report) : ReportText.text(report, store: store.path))
        }
    }
}

struct ImportCoastline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coastline", abstract: "Importer un trait de côte (lignes ou polygones), en remplaçant le précédent.")

    @Argument(help: "Fichier du trait de côte.")
    var file: String

    @Option(help: "SCR à supposer si le fichier n'en déclare pas.")
    var crs: String?

    @Option(help: "Couche à lire.")
    var layer: String?

    @Option(help: Choices.help("Format du rapport", OutputFormat.self))
    var format: OutputFormat = .text

    @OptionGroup var store: StoreOption

    func run() throws {
        try reportingErrors(newStore: store) {
            let report = try CoastlineImporter.run(file: file, crs: crs, layer: layer, storePath: store.path)
            printOut(format == .json ? try ReportText.json(report) : ReportText.text(report, store: store.path))
        }
    }
}

enum ReportText {
    static func json(_ r: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.stablePretty.encode(r), as: UTF8.self) + "\n"
    }

    static func text(_ r: ImportReport, store: String) -> String {
        let l = r.log
        var out = "Importation #\(l.id ?? 0) (\(l.kind)\(l.level.map { ", " + $0 } ?? "")) dans \(Stores.display(store))\n"
        out += "  source : \(l.sourceFile ?? "-") (sha256 \(l.sha256?.prefix(12) ?? "-")…)\n"
        out += "  entités lues : \(l.featuresRead) ; unités : \(l.units) (nouvelles \(l.inserted), remplacées \(l.replaced))\n"
        if l.kind == "boundaries" {
            out += "  géométries réparées : \(l.repaired) ; codes fusionnés : \(l.dissolved)\n"
        }
        if let h = r.hierarchy {
            out += "  rattachements : \(h.fromCodes) par les codes, \(h.fromContainment) par inclusion spatiale, \(h.unresolved) sans parent\n"
        }
        if let c = r.coast {
            out += "  littoral / intérieur refait (\(NumberFormat.shortest(c.distanceM)) m, comme la dernière classification) : "
                + "municipalités \(c.municipalities.littoral) littoral, \(c.municipalities.interieur) intérieur ; "
                + "MRC \(c.mrc.littoral) / \(c.mrc.interieur) ; régions \(c.regions.littoral) / \(c.regions.interieur)\n"
        }
        for w in l.warnings { out += "  avertissement : \(w)\n" }
        return out
    }
}

struct ImportTerritories: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "territories",
        abstract: "Importer des territoires personnalisés (CLSC, RLS, territoire d'une table…) : un nom et ses municipalités.",
        discussion: """
        Tableau CSV, XLSX ou ODS. Colonnes : nom (ou name, territoire) et soit codes (les codes municipaux du
        territoire séparés par des virgules, des points-virgules, des barres ou des espaces), soit code (un membre
        par ligne, le nom répété). Un territoire du même nom déjà importé est remplacé. Un code illisible ou absent
        du magasin refuse le fichier entier, chaque ligne nommée.
        """)

    @Argument(help: "Fichier des territoires.") var file: String
    @Option(help: Choices.help("Format du rapport", OutputFormat.self)) var format: OutputFormat = .text
    @OptionGroup var store: StoreOption

    func run() throws {
        try reportingErrors(newStore: store) {
            let r = try TerritoriesImporter.run(file: file, storePath: store.path)
            if format == .json { printOut(try ReportText.json(r)); return }
            var out = "Territoires personnalisés : \(r.territories.count) importés (nouveaux \(r.log.inserted), remplacés \(r.log.replaced)) dans \(Stores.display(store.path))\n"
            for t in r.territories { out += "  \(t.id) « \(t.name) » : \(t.members) municipalités\n" }
            printOut(out)
        }
    }
}

struct ImportRoads: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roads",
        abstract: "Importer un réseau routier (extrait OpenStreetMap .osm.pbf ou .osm, ou couche de lignes) : le graphe des temps de parcours, dans le magasin.",
        discussion: """
        OpenStreetMap : les voies qu'une voiture emprunte (highway, sauf sentiers, pistes cyclables, chemins, voies de service…),
        leur maxspeed, leur sens unique et les traversiers (route=ferry, leur duration ou 15 km/h, plus 20 minutes d'attente).
        Une couche de lignes : --speed-field, ou --class-field et la table de --speeds, et --oneway-field.
        Vitesses par défaut : Code de la sécurité routière du Québec, art. 328 (voir docs/roads.md).
        """)

    @Argument(help: "Réseau routier.") var file: String
    @Option(help: "Millésime du réseau (année).") var vintage: Int?
    @Option(name: .customLong("speed-field"), help: "Couche de lignes : champ de la vitesse (km/h).") var speedField: String?
    @Option(name: .customLong("class-field"), help: "Couche de lignes : champ de la classe de route.") var classField: String?
    @Option(name: .customLong("oneway-field"), help: "Couche de lignes : champ du sens unique.") var onewayField: String?
    @Option(help: Choices.help("Table des vitesses par classe", NearestCommand.RoadSpeedTable.self)) var speeds: NearestCommand.RoadSpeedTable = .osm
    @Option(help: "Couche, dans un fichier qui en a plusieurs.") var layer: String?
    @Flag(name: .customLong("service-roads"), help: "Garder les voies de service (accès, stationnements exclus).") var serviceRoads = false
    @Option(help: Choices.help("Format du rapport", OutputFormat.self)) var format: OutputFormat = .text
    @OptionGroup var store: StoreOption

    func run() throws {
        try reportingErrors(newStore: store) {
            var o = RoadReadOptions()
            o.speeds = speeds.table; o.speedField = speedField; o.classField = classField; o.onewayField = onewayField
            o.layer = layer; o.serviceRoads = serviceRoads
            let r = try RoadImporter.run(file: file, options: o, vintage: vintage, storePath: store.path)
            if format == .json { printOut(try ReportText.json(r)); return }
            let n = r.network
            printOut("Réseau routier \((file as NSString).lastPathComponent)\(vintage.map { " (\($0))" } ?? "") : \(n.linesKept) routes gardées sur \(n.linesRead)"
                     + (n.ferries > 0 ? " dont \(n.ferries) traversier(s)" : "") + ", \(n.nodes) nœuds, \(n.edges) arcs, "
                     + "\(NumberText.format(n.lengthKm, decimals: 1)) km ; \(n.components) composante(s) connexe(s), "
                     + "\(NumberText.percent(n.lengthOutsideLargest)) de la longueur hors de la plus grande\n"
                     + r.log.warnings.map { "  \($0)\n" }.joined())
        }
    }
}
