import ArgumentParser
import Foundation
import PortraitRender
import PortraitSpatial
import PortraitModel
import PortraitTerritory

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Carte SVG d'une région ou d'une MRC selon un style de styles/ (vitalite, defavorisation, population, littoral…).")

    @OptionGroup var territory: TerritoryOption

    @Option(help: ArgumentHelp("Style (fichier NOM.json du dossier des styles) (valeurs : "
                               + StyleCatalogue.names(in: StyleCatalogue.directory(nil)).joined(separator: ", ") + ")."))
    var style: String

    @Option(help: "Indicateur à cartographier (défaut : celui du style).")
    var indicator: String?

    @Option(help: "Millésime (défaut : le plus récent).")
    var vintage: Int?

    @Option(help: "Millésime antérieur : la carte montre la variation depuis celui-ci (style evolution : le plus ancien par défaut).")
    var compare: Int?

    @Option(name: .customLong("panel"), help: ArgumentHelp("Petits multiples : INDICATEUR[:MILLÉSIME], répétable, légende commune.", valueName: "IND[:ANNÉE]"))
    var panels: [String] = []

    @Option(help: "Largeur en pixels.")
    var width: Double = 960

    @Option(help: "Projection (défaut EPSG:32198, Québec Lambert).")
    var crs: String = "EPSG:32198"

    @Option(help: "Langue : fr ou en (défaut : celle du style).")
    var lang: Language?

    @Option(help: "Dossier des styles (défaut : $PORTRAIT_STYLES, sinon styles).")
    var styles: String?

    @Option(name: .customLong("category"), help: ArgumentHelp("Catégorie de services (services : répétable, toutes par défaut ; gaps : requise).", valueName: "NOM"))
    var categories: [String] = []

    @Option(name: [.customLong("max-km"), .customLong("radius-km")], help: "Lacunes : distance maximale en km.")
    var maxKm: Double = 15

    @Option(name: .customLong("max-min"), help: "Lacunes et besoin × accès : temps maximal en minutes par la route (réseau routier importé).")
    var maxMinutes: Double?

    @Option(help: "Lacunes : indicateur de besoin (priorité = population × km au-delà de la limite, doublée où le besoin est élevé).")
    var need: String?

    @Option(help: "Mobilisations : un enjeu, montré couvert ou non.")
    var enjeu: String?

    @Flag(help: "Écrire aussi un PNG à côté du SVG (rsvg-convert).")
    var png = false

    @Option(name: .shortAndLong, help: "Fichier SVG de sortie.")
    var output: String

    @OptionGroup var store: StoreOption

    func validate() throws {
        guard width >= 300, width <= 10_000 else { throw ValidationError("--width entre 300 et 10000 pixels") }
        guard maxKm > 0, maxKm <= 500 else { throw ValidationError("--max-km entre 0 et 500") }
        let names = StyleCatalogue.names(in: StyleCatalogue.directory(styles))
        guard names.contains(style) else {
            let near = FrenchUsage.nearest(style, among: names)
            throw ValidationError("style « \(style) » inconnu" + (near.map { " ; vouliez-vous dire « \($0) » ?" } ?? "")
                                  + " ; styles de \(StyleCatalogue.directory(styles)) : \(names.joined(separator: ", "))")
        }
    }

    func run() throws {
        try reportingErrors {
            let parsed: [(indicator: String?, vintage: Int?)] = panels.map { p in
                let parts = p.split(separator: ":").map(String.init)
                return (parts.first, parts.count > 1 ? Int(parts[1]) : nil)
            }
            var request = RenderRequest(
                    territory: try territory.territory(store: store), style: style, indicator: indicator, vintage: vintage,
                    panels: parsed, width: width, crs: CRS(crs), language: lang, stylesDirectory: StyleCatalogue.directory(styles),
                    categories: categories, maxKm: maxKm, need: need, enjeu: enjeu, compare: compare)
            if let maxMinutes, !(maxMinutes > 0 && maxMinutes <= 600) { throw ValidationError("--max-min entre 0 et 600 minutes") }
            request.maxMinutes = maxMinutes
            let svg = try MapRenderer.render(storePath: store.path, request: request)
            try svg.write(toFile: output, atomically: true, encoding: .utf8)
            var message = "\(output) (\(svg.utf8.count / 1024) Kio)"
            if png {
                let pngPath = (output as NSString).deletingPathExtension + ".png"
                try PNGExport.convert(svg: output, png: pngPath)
                message += ", \(pngPath)"
            }
            printOut(message + "\n")
        }
    }
}
