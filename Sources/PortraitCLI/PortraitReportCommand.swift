import ArgumentParser
import Foundation
import PortraitModel
import PortraitTerritory

struct PortraitReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portrait",
        abstract: "Portrait territorial d'une région ou d'une MRC : population, villes, littoral et intérieur, indicateurs, données manquantes.")

    enum Format: String, ExpressibleByArgument { case json, md, html }

    @OptionGroup var territory: TerritoryOption

    @Option(help: "Millésime de la population (défaut : le plus récent).")
    var vintage: Int?

    @Option(help: "Format : json, md ou html.")
    var format: Format = .md

    @Option(help: "Langue : fr ou en.")
    var lang: Language = .fr

    @OptionGroup var store: StoreOption

    func run() throws {
        try reportingErrors {
            let p = try PortraitBuilder.build(storePath: store.path, options: PortraitOptions(
                territory: try territory.territory(), vintage: vintage, language: lang))
            switch format {
            case .json: printOut(try ReportText.json(p))
            case .md: printOut(PortraitDocument(p, language: lang).markdown)
            case .html: printOut(PortraitDocument(p, language: lang).html)
            }
        }
    }
}
