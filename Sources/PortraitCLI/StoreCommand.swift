import ArgumentParser
import Foundation
import PortraitModel
import PortraitStore

/// `portrait store`: moving a store between backends.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Déplacer un magasin (GeoPackage ↔ PostgreSQL/PostGIS).",
        subcommands: [StoreCopyCommand.self])
}

struct StoreCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copier tout un magasin vers un autre : couches, indicateurs, services, mobilisations, journal des importations.",
        discussion: """
        Exemples :
          portrait store copy --from geodata/portrait.gpkg --to postgresql://portrait@127.0.0.1:5432/portrait
          portrait store copy --from postgresql://portrait@127.0.0.1:5432/portrait --to sauvegarde.gpkg
        La destination est écrite en une transaction ; une destination qui contient déjà des données est refusée sans --replace.
        """)

    @Option(name: .long, help: ArgumentHelp("Magasin source (fichier .gpkg ou postgresql://…).", valueName: "PATH|URL"))
    var from: String
    @Option(name: .long, help: ArgumentHelp("Magasin de destination (créé s'il n'existe pas).", valueName: "PATH|URL"))
    var to: String
    @Flag(name: .long, help: "Remplacer le contenu d'une destination qui contient déjà des données.")
    var replace = false
    @Option(name: .long, help: Choices.help("Format de sortie", OutputFormat.self))
    var format: OutputFormat = .text

    func run() throws {
        try reportingErrors {
            let r = try StoreCopy.run(from: from, to: to, replace: replace)
            switch format {
            case .json: printOut(String(decoding: try JSONEncoder.stable.encode(r), as: UTF8.self) + "\n")
            case .text:
                printOut("\(r.rows) lignes copiées de \(r.from) vers \(r.to)\n")
                for name in r.tables.keys.sorted() where r.tables[name]! > 0 { printOut("  - \(name) : \(r.tables[name]!)\n") }
            }
        }
    }
}
