import ArgumentParser
import PortraitDemo
import PortraitImport
import PortraitModel
import PortraitTerritory

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Territoire FICTIF de démonstration, généré par Portrait.",
        subcommands: [DemoWrite.self, DemoLoad.self, DemoSynthetic.self])
}

struct DemoWrite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write", abstract: "Écrire les fichiers GeoJSON du territoire fictif.")

    @Option(help: "Dossier de sortie.")
    var out: String = "geodata/demo"

    func run() throws {
        try reportingErrors {
            for p in try DemoTerritory.write(to: out) { printOut("\(p)\n") }
        }
    }
}

struct DemoLoad: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Importer le territoire fictif dans le magasin et classer le littoral.")

    @OptionGroup var store: StoreOption

    func run() throws {
        try reportingErrors(newStore: store) {
            let r = try DemoTerritory.load(storePath: store.path)
            printOut("\(DemoTerritory.label) chargé dans \(store.path) : \(r.municipalities.littoral) unités littorales, \(r.municipalities.interieur) intérieures.\n")
        }
    }
}

struct DemoSynthetic: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthetic",
        abstract: "Importer des valeurs SYNTHÉTIQUES d'IVE et de défavorisation pour les municipalités d'une région réelle (illustration seulement).")

    @Option(help: "Code de région.")
    var region: String

    @Option(help: "Dossier où écrire les fichiers synthétiques.")
    var out: String = "geodata/synthetique"

    @OptionGroup var store: StoreOption

    func run() throws {
        try reportingErrors(newStore: store) {
            let files = try SyntheticIndicators.write(storePath: store.path, region: try .region(region), directory: out)
            _ = try IndicatorImporter.run(file: files[0], options: .init(vintage: 2020, preset: .isqIVE, source: SyntheticIndicators.source),
                                          storePath: store.path)
            _ = try IndicatorImporter.run(file: files[1], options: .init(vintage: 2021, preset: .inspqDeprivation, source: SyntheticIndicators.source),
                                          storePath: store.path)
            printOut("Valeurs SYNTHÉTIQUES importées (ive 2020, défavorisation 2021) : \(files.joined(separator: ", "))\n")
        }
    }
}
