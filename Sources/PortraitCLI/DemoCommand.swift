import ArgumentParser
import PortraitTerritory

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Territoire FICTIF de démonstration, généré par Portrait.",
        subcommands: [DemoWrite.self, DemoLoad.self])
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
        try reportingErrors {
            let r = try DemoTerritory.load(storePath: store.path)
            printOut("\(DemoTerritory.label) chargé dans \(store.path) : \(r.municipalities.littoral) unités littorales, \(r.municipalities.interieur) intérieures.\n")
        }
    }
}
