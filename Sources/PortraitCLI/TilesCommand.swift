import ArgumentParser
import Foundation
import PortraitGeometry
import PortraitModel
import PortraitStore
import PortraitTiles

extension TileLayer: ExpressibleByArgument {}

struct TilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tiles", abstract: "Tuiles vectorielles (MVT) en cache MBTiles.",
                                                    subcommands: [TilesSeed.self])
}

struct TilesSeed: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed", abstract: "Pré-calculer les tuiles d'une couche sur l'étendue du magasin.")

    @Option(help: "Couche : municipalities, mrc, regions, coastline, services, gaps, mobilisations.") var layer: TileLayer
    @Option(help: "Zoom minimal.") var minzoom: Int = 0
    @Option(help: "Zoom maximal.") var maxzoom: Int = 12
    @Option(help: "Dossier du cache MBTiles (défaut : à côté du magasin, MAGASIN.tiles/).") var tiles: String?
    @OptionGroup var store: StoreOption

    func validate() throws {
        guard (0...TileID.maxZoom).contains(minzoom), (minzoom...TileID.maxZoom).contains(maxzoom) else {
            throw ValidationError("--minzoom ≤ --maxzoom, entre 0 et \(TileID.maxZoom)")
        }
    }

    func run() throws {
        try reportingErrors {
            guard let extent = try Stores.open(store.path).extent(layer.extentLayer) else {
                throw TerritoryError.notFound("\(store.path) : couche \(layer.extentLayer.rawValue) vide : rien à tuiler")
            }
            let cache = TileCache(directory: tiles ?? Stores.tilesDirectory(for: store.path), storePath: store.path)
            // A progress bar on the terminal (one line per zoom when standard error is not one).
            let tty = isatty(2) == 1
            let r = try cache.seedReport(layer, minZoom: minzoom, maxZoom: maxzoom, bbox: extent) { z, done, total in
                guard tty || done == total else { return }
                let width = 30, filled = total > 0 ? done * width / total : width
                let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                FileHandle.standardError.write(Data("\r  z\(z) \(bar) \(done)/\(total) tuiles\(done == total ? "\n" : "")".utf8))
            }
            printOut("\(r.tiles) tuiles \(layer.rawValue) non vides (z\(minzoom)–\(maxzoom), \(r.features) entités) dans \(cache.path(layer)) en \(String(format: "%.2f", r.seconds)) s\n")
        }
    }
}
