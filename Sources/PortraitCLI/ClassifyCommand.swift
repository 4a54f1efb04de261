import ArgumentParser
import PortraitImport
import PortraitModel
import PortraitTerritory

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify", abstract: "Classer les territoires.", subcommands: [ClassifyCoast.self])
}

struct ClassifyCoast: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coast",
        abstract: "Classer chaque unité littoral ou intérieur selon sa distance au trait de côte (EPSG:32198).")

    @Option(name: .customLong("distance-m"), help: "Distance au trait de côte en mètres.")
    var distanceM: Double = CoastClassifier.defaultDistanceM

    @Option(help: Choices.help("Format", OutputFormat.self))
    var format: OutputFormat = .text

    @OptionGroup var store: StoreOption

    func validate() throws {
        guard distanceM >= 0, distanceM.isFinite else { throw ValidationError("--distance-m doit être positif ou nul") }
    }

    func run() throws {
        try reportingErrors {
            let r = try CoastClassifier.run(storePath: store.path, distanceM: distanceM)
            if format == .json { printOut(try ReportText.json(r)); return }
            var out = "Classement littoral / intérieur (distance \(Int(distanceM)) m, EPSG:32198)\n"
            for (label, c) in [("régions", r.regions), ("MRC", r.mrc), ("municipalités", r.municipalities)] {
                out += "  \(label) : \(c.littoral) littoral, \(c.interieur) intérieur"
                out += c.aquatic > 0 ? ", \(c.aquatic) aquatiques à part\n" : "\n"
            }
            printOut(out)
        }
    }
}

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Décrire le magasin : couches, comptes, SCR, étendue, littoral, importations.")

    @Option(help: Choices.help("Format", OutputFormat.self))
    var format: OutputFormat = .text

    @Option(help: Choices.help("Langue du texte", Language.self))
    var lang: Language = .fr

    @OptionGroup var store: StoreOption

    func run() throws {
        try reportingErrors {
            let info = try StoreInfo.read(storePath: store.path)
            printOut(format == .json ? try info.json() : info.text(language: lang))
        }
    }
}
