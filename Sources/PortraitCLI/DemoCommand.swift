import Foundation
import ArgumentParser
import PortraitDemo
import PortraitImport
import PortraitModel
import PortraitRender
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
        abstract: "Un magasin d'exemple : les données réelles du Bas-Saint-Laurent et leurs compagnons SYNTHÉTIQUES (IVE 2016-2020, défavorisation 2021, recensement 2016, 0-17 ans), pour essayer --compare, --base, --need et les styles vitalite, defavorisation et bivarie. Jamais dans un magasin de données réelles.",
        discussion: "Les fichiers synthétiques sont livrés dans geodata/bsl/synthetique/ ; chaque page qui s'en sert le dit.")

    @Option(help: "Région : seul le Bas-Saint-Laurent (01) a ses compagnons synthétiques.")
    var region: String = "01"

    @OptionGroup var store: StoreOption

    func validate() throws {
        guard region == "01" || region == "1" || Names.key(region) == "bas_saint_laurent" else {
            throw ValidationError("--region \(region) : seul le Bas-Saint-Laurent (01) a ses compagnons synthétiques livrés (geodata/bsl/synthetique)")
        }
    }

    func run() throws {
        try reportingErrors(newStore: store) {
            let r = try ExampleStore.load(storePath: store.path, dataset: Resources.bslDataset)
            printOut((r.created ? "Données réelles du Bas-Saint-Laurent chargées dans \(store.path), puis valeurs" : "Valeurs")
                     + " SYNTHÉTIQUES importées (ive 2016-2020, défavorisation 2021, population 2016, jeunes_0_17 2021) : "
                     + r.files.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ") + "\n")
        }
    }
}
