import ArgumentParser
import Hummingbird
import Logging
import PortraitRender
import PortraitServer
import PortraitModel
import PortraitTiles

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Service HTTP : territoires, portraits, cartes SVG, GeoJSON, tuiles (arrêt propre sur SIGINT/SIGTERM) ; importations par POST /imports/TYPE seulement si PORTRAIT_TOKEN est défini.")

    @Option(help: "Adresse d'écoute.") var host: String = "127.0.0.1"
    @Option(help: "Port.") var port: Int = 8080
    @Option(help: "Dossier des styles.") var styles: String?
    @Option(help: "Dossier du cache de tuiles MBTiles (défaut : à côté du magasin, MAGASIN.tiles/).") var tiles: String?
    @Option(name: .customLong("cache-mb"), help: "Taille maximale du cache des réponses en mémoire, en Mio (0 : aucun).") var cacheMB: Int = 64
    @Option(help: "Dossier de la visionneuse web (défaut : web/ livré avec l'exécutable).") var web: String?
    @Option(help: "Dossier de Leaflet (paquet libjs-leaflet).") var leaflet: String = "/usr/share/javascript/leaflet"
    @Option(name: .customLong("mbtiles"), help: ArgumentHelp("MBTiles externe servi tel quel sous /tiles/NOM/… (répétable).", valueName: "NOM=FICHIER"))
    var mbtiles: [String] = []
    @Option(help: "Fond de carte matriciel de la visionneuse, modèle d'URL (ex. https://tile.openstreetmap.org/{z}/{x}/{y}.png) ; aucun par défaut.")
    var basemap: String?
    @Option(name: .customLong("log-level"), help: "Niveau de journal : debug, info, warning, error.") var logLevel: String = "info"
    @OptionGroup var store: StoreOption

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port entre 1 et 65535") }
        guard (0...65_536).contains(cacheMB) else { throw ValidationError("--cache-mb entre 0 et 65536") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level : trace, debug, info, notice, warning, error, critical") }
    }

    func run() async throws {
        var external: [String: String] = [:]
        for m in mbtiles {
            let p = m.split(separator: "=", maxSplits: 1).map(String.init)
            guard p.count == 2, TileLayer(rawValue: p[0]) == nil, p[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw ValidationError("--mbtiles NOM=FICHIER (NOM en lettres et chiffres, différent des couches de Portrait)")
            }
            external[p[0]] = p[1]
        }
        var options = ServerOptions(host: host, port: port, storePath: store.path,
                                                 stylesDirectory: StyleCatalogue.directory(styles), tilesDirectory: tiles,
                                                 webDirectory: web ?? Resources.web, leafletDirectory: leaflet,
                                                 logLevel: Logger.Level(rawValue: logLevel) ?? .info)
        if let problem = options.tokenProblem { throw ValidationError(problem) }
        options.mbtiles = external
        options.cacheBytes = cacheMB << 20
        if let basemap {
            guard basemap.hasPrefix("http://") || basemap.hasPrefix("https://"), basemap.contains("{z}"), basemap.contains("{x}"), basemap.contains("{y}") else {
                throw ValidationError("--basemap : un modèle d'URL http(s) avec {z}, {x} et {y}")
            }
            options.basemap = basemap
        }
        do {
            try await buildApplication(options).runService()
        } catch {
            // The socket's own words (bind, errno 98) say nothing of the port or what to do.
            let text = String(describing: error)
            if text.contains("Address already in use") || text.contains("errno: 98") {
                printErr("portrait : indisponible : le port \(port) est déjà pris sur \(host) (un autre « portrait serve » ?) : "
                         + "choisissez-en un autre avec --port \(port == 65_535 ? port - 1 : port + 1), ou arrêtez le service qui l'occupe\n")
                throw ExitCode(Exit.code(for: .unavailable))
            }
            if text.contains("Cannot assign requested address") || text.contains("errno: 99") {
                printErr("portrait : erreur : l'adresse \(host) n'est pas une adresse de cette machine : donnez --host 127.0.0.1 (ou l'adresse d'une de ses interfaces)\n")
                throw ExitCode(Exit.code(for: .invalidInput))
            }
            throw error
        }
    }
}
