import ArgumentParser
import Foundation
import PortraitModel
import PortraitRender
import PortraitReport
import PortraitStore
import PortraitTerritory

struct PortraitReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portrait",
        abstract: "Portrait territorial d'une région, d'une MRC, d'une municipalité, de l'ensemble ou d'un territoire personnalisé, prêt à publier : chiffres clés, littoral et intérieur, MRC, indicateurs, services et lacunes, mobilisations, cartes, sources.",
        discussion: """
        Formats : md (texte ; avec -o, les cartes SVG sont écrites à côté et liées), html (cartes en ligne),
        pdf (le HTML imprimé par Chromium sans interface, sauts de page et numéros de page ; -o requis),
        json (tous les chiffres du rapport), xlsx (chaque tableau du portrait en feuille : indicateurs, classes,
        municipalités, comparaison, services, sources ; unité, millésime et source sur chaque ligne ; -o requis),
        csv (les mêmes tableaux, un fichier CSV chacun dans le dossier -o ; UTF-8 avec BOM, ou --excel-fr).
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, md, html, pdf, csv, xlsx
        static var allValueStrings: [String] { [] }   // listed in French by `Choices`
    }

    @OptionGroup var territory: TerritoryOption

    @Option(help: "Millésime de la population (défaut : le plus récent).")
    var vintage: Int?

    @Option(help: "Millésime antérieur : ajoute l'évolution de chaque indicateur depuis ce millésime (variation, %, taux annuel moyen) et sa carte.")
    var compare: Int?

    @Option(help: "Territoire de comparaison au lieu de la MRC, de la région et de l'ensemble : mrc:10, region:01, municipality:10070, all, custom:NOM.")
    var reference: String?

    @Option(help: "Indicateur de comptage sur lequel calculer les parts (ex. une population de 0 à 17 ans) au lieu de la population.")
    var base: String?

    @Option(help: Choices.help("Format", Format.self))
    var format: Format = .md

    @Option(help: Choices.help("Langue", Language.self))
    var lang: Language = .fr

    @Option(name: [.customLong("max-km"), .customLong("radius-km")], help: "Distance des lacunes de services, en km.")
    var maxKm: Double = 15

    @Option(name: .customLong("max-min"), help: "Avec un réseau routier importé : temps de parcours des lacunes, en minutes par la route.")
    var maxMinutes: Double = 20

    @Option(help: "Dossier des styles (défaut : $PORTRAIT_STYLES, sinon styles/ livré avec l'exécutable).")
    var styles: String?

    @Option(name: .shortAndLong, help: "Fichier de sortie (défaut : sortie standard ; requis pour pdf).")
    var output: String?

    @Flag(name: .customLong("excel-fr"), help: "CSV pour Excel en français : points-virgules et virgules décimales.")
    var excelFR = false

    @OptionGroup var store: StoreOption

    func validate() throws {
        if format == .pdf && output == nil { throw ValidationError("--format pdf demande -o FICHIER.pdf") }
        if format == .xlsx && output == nil { throw ValidationError("--format xlsx demande -o FICHIER.xlsx") }
        if format == .csv && output == nil { throw ValidationError("--format csv demande -o DOSSIER (un fichier CSV par tableau)") }
        guard maxKm > 0, maxKm <= 500 else { throw ValidationError("--max-km entre 0 et 500") }
    }

    func run() throws {
        try reportingErrors {
            var options = ReportOptions(territory: try territory.territory(store: store), language: lang, vintage: vintage, maxKm: maxKm,
                                        stylesDirectory: StyleCatalogue.directory(styles),
                                        maps: ![.json, .csv, .xlsx].contains(format) && !(format == .md && output == nil))
            options.compare = compare
            guard maxMinutes > 0, maxMinutes <= 600 else { throw ValidationError("--max-min entre 0 et 600 minutes") }
            options.maxMinutes = maxMinutes
            options.reference = try reference.map(Territory.reference)
            options.base = base
            let report = try ReportBuilder.build(storePath: store.path, options: options)
            let text: String
            switch format {
            case .csv, .xlsx:
                let tables = try ReportTables.tables(report, territory: options.territory, store: try Stores.open(store.path))
                if format == .xlsx {
                    let dir = (output! as NSString).deletingLastPathComponent
                    if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
                    try XLSXWriter.data(tables).write(to: URL(fileURLWithPath: output!))
                    printOut("\(output!) : \(tables.count) feuilles (\(tables.map(\.name).joined(separator: ", ")))\n")
                } else {
                    try FileManager.default.createDirectory(atPath: output!, withIntermediateDirectories: true)
                    for t in tables {
                        let file = (output! as NSString).appendingPathComponent("portrait-\(options.territory.slug)-\(t.name).csv")
                        try CSVWriter.data(t, excelFR: excelFR).write(to: URL(fileURLWithPath: file))
                        printOut("\(file) : \(t.rows.count) lignes\n")
                    }
                }
                return
            case .json: text = try ReportText.json(report)
            case .html: text = ReportDocument(report).html
            case .md:
                let base = output.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension } ?? "carte"
                let doc = ReportDocument(report, mapPrefix: base)
                if let output {
                    let dir = (output as NSString).deletingLastPathComponent
                    for m in doc.maps {
                        try m.svg.write(toFile: ((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent(m.file), atomically: true, encoding: .utf8)
                    }
                }
                text = doc.markdown
            case .pdf:
                try PDFPrinter.print(html: ReportDocument(report).html, to: output!, wait: 86_400)
                printOut("\(output!) : \(report.maps.count) cartes\n")
                return
            }
            if let output {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
                printOut("\(output)\(report.maps.isEmpty ? "" : " : \(report.maps.count) cartes")\n")
            } else {
                printOut(text)
            }
        }
    }
}

struct AtlasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atlas", abstract: "Le portrait d'une région et celui de chacune de ses MRC (et, avec --municipalities, la fiche de chaque municipalité), avec un index.html qui les relie.")

    @Option(help: "Région : son code (ex. 01) ou son nom (ex. Bas-Saint-Laurent).") var region: String
    @Option(name: .shortAndLong, help: "Dossier de sortie.") var output: String
    @Option(help: Choices.help("Format des rapports", Atlas.Format.self)) var format: Atlas.Format = .html
    @Option(help: Choices.help("Langue", Language.self)) var lang: Language = .fr
    @Option(help: "Dossier des styles.") var styles: String?
    @Flag(help: "Ajouter la fiche de chaque municipalité de la région.") var municipalities = false
    @OptionGroup var store: StoreOption

    func run() throws {
        try reportingErrors {
            let tty = isatty(2) == 1
            let code = try TerritoryLookup.code(.region, region, store: try Stores.open(store.path))
            let entries = try Atlas.write(storePath: store.path, region: try .region(code), directory: output, format: format,
                                          language: lang, stylesDirectory: StyleCatalogue.directory(styles),
                                          municipalities: municipalities) { done, total, name in
                let width = 30, filled = width * done / total
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                FileHandle.standardError.write(Data("\(tty ? "\r" : "")[\(bar)] \(done)/\(total) \(name)\(tty ? "\u{1B}[K" : "\n")".utf8))
            }
            if tty { FileHandle.standardError.write(Data("\n".utf8)) }
            printOut("\(entries.count) rapports et \((output as NSString).appendingPathComponent("index.html"))\n")
        }
    }
}

extension Atlas.Format: ExpressibleByArgument { public static var allValueStrings: [String] { [] } }

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Tableau de bord d'un plan d'action : chaque cible, sa dernière valeur, son graphique et son statut, pour le plan et chaque concertation locale.",
        discussion: """
        Formats : html (la page, filtrable), pdf (imprimée par Chromium ; -o requis), json (chaque statut avec le texte de
        son indicateur et son territoire), csv et xlsx (un statut par ligne ; -o requis pour xlsx).
        --annual AAAA : le rapport annuel d'activité de l'année (statuts au 31 décembre, changements depuis l'an passé,
        mesures de l'année).
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html, pdf, json, csv, xlsx
        static var allValueStrings: [String] { [] }   // listed in French by `Choices`
    }

    @Argument(help: "Identifiant du plan (celui de sa mobilisation, ex. 04-consortium).") var id: String
    @Option(help: Choices.help("Format", Format.self)) var format: Format = .html
    @Option(help: "Date de la situation, AAAA-MM-JJ (défaut : aujourd'hui).") var date: String?
    @Option(help: "Rapport annuel d'activité de cette année.") var annual: Int?
    @Option(help: "N'afficher que cet axe.") var axis: String?
    @Option(help: "N'afficher que ce territoire (id de mobilisation, mrc:CODE).") var territory: String?
    @Option(help: Choices.help("Langue", Language.self)) var lang: Language = .fr
    @Flag(name: .customLong("excel-fr"), help: "CSV pour Excel en français : points-virgules et virgules décimales.") var excelFR = false
    @Option(name: .shortAndLong, help: "Fichier de sortie (défaut : sortie standard ; requis pour pdf et xlsx).") var output: String?
    @OptionGroup var store: StoreOption

    func validate() throws {
        if (format == .pdf || format == .xlsx) && output == nil { throw ValidationError("--format \(format.rawValue) demande -o FICHIER") }
        if let date, PlanDate(date) == nil || date.count != 10 { throw ValidationError("--date \(date) : AAAA-MM-JJ attendu (ex. 2026-12-31)") }
        if let annual, !PlanDate.years.contains(annual) { throw ValidationError("--annual \(annual) : une année attendue") }
    }

    func run() throws {
        try reportingErrors {
            let s = try Stores.open(store.path)
            let options = PlanOptions(planID: id, asOf: date.flatMap(PlanDate.init) ?? .today(), language: lang, axis: axis, territory: territory)
            let built = try PlanPage.build(store: s, options: options, annual: annual)
            let d = built.dashboard
            var data: Data
            switch format {
            case .json: data = Data(try ReportText.json(d).utf8)
            case .csv: data = CSVWriter.data(PlanPage.table(d), excelFR: excelFR)
            case .xlsx: data = XLSXWriter.data([PlanPage.table(d)])
            case .html: data = Data(PlanPage.html(d, map: built.map, annual: built.annual).utf8)
            case .pdf:
                try PDFPrinter.print(html: PlanPage.html(d, map: built.map, annual: built.annual), to: output!, wait: 86_400)
                printOut("\(output!) : \(d.targets.count) cibles\n")
                return
            }
            if let output {
                try data.write(to: URL(fileURLWithPath: output))
                let statuses = d.targets.map { 1 + $0.territories.count }.reduce(0, +)
                printOut("\(output) : \(d.targets.count) cibles, \(statuses) statuts (situation au \(d.asOf))\n")
            } else {
                FileHandle.standardOutput.write(data)
            }
        }
    }
}
