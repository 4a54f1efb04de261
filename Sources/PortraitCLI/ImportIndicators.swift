import ArgumentParser
import Foundation
import PortraitImport
import PortraitModel
import PortraitTerritory

extension IndicatorPreset: ExpressibleByArgument { public static var allValueStrings: [String] { [] } }
extension IndicatorKind: ExpressibleByArgument { public static var allValueStrings: [String] { [] } }
extension DeprivationAreas.Scale: ExpressibleByArgument { public static var allValueStrings: [String] { [] } }
extension IndicatorImportOptions.JoinKey: ExpressibleByArgument { public static var allValueStrings: [String] { [] } }

struct ImportIndicators: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Importer un tableau d'indicateurs (CSV ou XLSX) et le joindre au territoire par code.",
        discussion: """
        Nombres acceptés : virgule décimale (12,5), espaces de milliers (48 935), signes %.
        Le rapport dit comment le fichier a été lu (encodage, séparateur, ligne d'en-tête, fins de ligne)
        et comment chaque territoire a été joint (code, nom, nom + désignation, nom + MRC, ancien nom, ambigu…).
        Un fichier tronqué, une ligne au mauvais nombre de champs ou une valeur hors de sa nature le font refuser.
        Valeurs confidentielles : x, .., ..., F (gardées comme confidentielles, jamais comme zéro).
        Les anciens codes fusionnés sont reportés sur les codes actuels (table intégrée, ou --code-changes).
        Préréglages : isq-ive, inspq-deprivation, statcan-census.
        """)

    @Argument(help: "Fichier CSV (UTF-8, UTF-16, Windows-1252 ou ISO-8859-1 ; virgule, point-virgule ou tabulation ; titres et notes admis) ou XLSX.")
    var file: String

    @Option(help: "Nom de l'indicateur (pour une seule colonne de valeurs).")
    var indicator: String?

    @Option(help: "Millésime (année) des valeurs ; un fichier de l'ISQ avec une colonne ou une feuille par année les importe toutes, ou celle-ci.")
    var vintage: Int?

    @Option(help: Choices.help("Niveau des codes", Level.self))
    var level: Level = .municipality

    @Option(help: Choices.help("Préréglage de colonnes (statcan-profile : le profil du recensement en format long, avec --characteristic)", IndicatorPreset.self))
    var preset: IndicatorPreset?

    @Option(name: .customLong("code-field"), help: "Colonne des codes.")
    var codeField: String?

    @Option(name: .customLong("name-field"), help: "Colonne des noms.")
    var nameField: String?

    @Option(name: .customLong("value-field"), help: ArgumentHelp("Colonne de valeurs, ou indicateur=COLONNE (répétable).", valueName: "COLONNE"))
    var valueFields: [String] = []

    @Option(help: Choices.help("Nature de l'indicateur", IndicatorKind.self))
    var kind: IndicatorKind?

    @Option(help: "Unité des valeurs.")
    var unit: String?

    @Option(help: "Source à enregistrer avec les valeurs.")
    var source: String?

    @Option(name: .customLong("code-changes"), help: "Table old_code,new_code des changements de codes (défaut : table intégrée).")
    var codeChanges: String?

    @Flag(name: .customLong("no-code-changes"), help: "Ne reporter aucun ancien code.")
    var noCodeChanges = false

    @Flag(name: .customLong("match-names"), help: "Joindre par le nom (sans accents ni casse) les lignes dont le code ne correspond pas.")
    var matchNames = false

    @Flag(name: .customLong("empty-as-suppressed"), help: "Lire les cellules vides comme des valeurs confidentielles.")
    var emptyAsSuppressed = false

    @Option(name: .customLong("characteristic"), help: ArgumentHelp("Profil en format long (--preset statcan-profile) : caractéristique à garder, ID=NOM (répétable, ex. 1=population).", valueName: "ID=NOM"))
    var characteristics: [String] = []

    @Option(help: ArgumentHelp("Jointure par code ou par nom (tableaux sans code : nom normalisé ; désignation, MRC, région ou superficie pour les homonymes du Québec ; anciens noms). Un nom que rien ne départage est listé, jamais joint " + Choices.of(IndicatorImportOptions.JoinKey.self) + "."))
    var join: IndicatorImportOptions.JoinKey = .code

    @Option(help: ArgumentHelp("Indice INSPQ par aire de diffusion : quintiles de l'ensemble du Québec (quebec) ou de la région sociosanitaire (rss) ; par défaut ceux du fichier, le Québec d'abord " + Choices.of(DeprivationAreas.Scale.self) + "."))
    var scale: DeprivationAreas.Scale?

    @Option(name: .customLong("areas"), help: ArgumentHelp("Fichier de correspondance INSPQ (sans municipalité) : table des aires de diffusion qui les place (ADIDU et SDRIDU, ex. Ad_2021_IndDef.shp, ou leurs géométries).", valueName: "FICHIER"))
    var areasFile: String?

    @Flag(help: "Refuser le fichier si une ligne n'a pas de code (par défaut : ligne listée dans le rapport et ignorée).")
    var strict = false

    @Option(help: Choices.help("Format du rapport", OutputFormat.self))
    var format: OutputFormat = .text

    @OptionGroup var store: StoreOption

    func validate() throws {
        if preset == nil && valueFields.isEmpty { throw ValidationError("précisez --value-field COLONNE ou un --preset") }
        if vintage == nil && preset != .isqIVE { throw ValidationError("précisez --vintage ANNÉE (millésime des valeurs)") }
        if preset == .statcanProfile && characteristics.isEmpty {
            throw ValidationError("--preset statcan-profile demande au moins un --characteristic ID=NOM (ex. --characteristic 1=population)")
        }
        if preset == nil && valueFields.count == 1 && indicator == nil && !valueFields[0].contains("=") {
            throw ValidationError("précisez --indicator NOM pour la colonne \(valueFields[0])")
        }
    }

    func run() throws {
        try reportingErrors(newStore: store) {
            let changes = noCodeChanges ? CodeChanges.none : try codeChanges.map { try CodeChanges.read(path: $0) } ?? .builtIn
            var options = IndicatorImportOptions(
                indicator: indicator, vintage: vintage ?? 0, level: level, preset: preset, codeField: codeField, nameField: nameField,
                valueFields: valueFields, kind: kind, unit: unit, source: source, codeChanges: changes, matchNames: matchNames,
                emptyIsSuppressed: emptyAsSuppressed ? true : nil)
            options.strict = strict
            options.scale = scale
            options.areasFile = areasFile
            options.join = join
            options.characteristics = try CensusProfile.parse(characteristics)
            let r = try IndicatorImporter.run(file: file, options: options, storePath: store.path)
            printOut(format == .json ? try ReportText.json(r) : Self.text(r))
        }
    }

    /// The first items of a long list, and how many more (the JSON report has them all).
    static func some(_ items: [String], _ n: Int = 20) -> String {
        items.prefix(n).joined(separator: ", ") + (items.count > n ? " … et \(items.count - n) autres (--format json pour la liste complète)" : "")
    }

    /// The join report's method tokens in words.
    static func methodFR(_ how: String) -> String {
        switch how {
        case "code": return "par code"
        case "ancien_code": return "par ancien code"
        case "fusion": return "fusion d'anciens codes"
        case "fusion_par_noms": return "fusion d'anciens noms"
        case "ancien_nom": return "par ancien nom"
        case "ambigu": return "ambigus"
        case "fusion_incomplete": return "fusion incomplète"
        case "conflit_ancien_et_nouveau_code": return "ancien et nouveau code à la fois"
        case "code_en_double": return "code en double"
        case "sans_correspondance": return "sans correspondance"
        default:
            let words = ["nom": "nom", "designation": "désignation", "mrc": "MRC", "division": "division de recensement", "region": "région",
                         "superficie": "superficie"]
            return "par " + how.split(separator: "+").map { words[String($0)] ?? String($0) }.joined(separator: " + ")
        }
    }

    static func text(_ r: IndicatorImportReport) -> String {
        let j = r.join
        let years = r.vintages.count > 1 ? r.vintages.map(String.init).joined(separator: ", ") : String(r.vintage)
        var out = "Importation #\(r.log.id ?? 0) : \(r.indicators.joined(separator: ", ")) (\(years)) depuis \(r.log.sourceFile ?? "-")\n"
        let suppressed = j.suppressed.values.reduce(0, +)
        out += "  lignes lues : \(j.rows) ; gardées : \(j.kept) ; agrégées : \(j.aggregated) ; territoires joints : \(j.matched) ; "
            + "non jointes : \(j.unmatched.count) ; ambiguës : \(j.ambiguous.count) ; sans code : \(j.withoutCode.count) ; "
            + "valeurs confidentielles : \(suppressed)\n"
        if let l = j.layout { out += "  fichier lu : \(l.summaryFR)\(l.linesAbove > 0 ? " ; \(l.linesAbove) ligne(s) de titre au-dessus" : "")\n" }
        if !j.units.isEmpty {
            let order = ["code", "ancien_code", "fusion", "nom", "ancien_nom", "fusion_par_noms"]
            let methods = j.methods.sorted { a, b in
                let ia = order.firstIndex(of: a.key) ?? (a.key.hasPrefix("nom+") ? 4 : 99), ib = order.firstIndex(of: b.key) ?? (b.key.hasPrefix("nom+") ? 4 : 99)
                return ia != ib ? ia < ib : a.key < b.key
            }
            out += "  territoires, par correspondance : " + methods.map { "\(Self.methodFR($0.key)) \($0.value)" }.joined(separator: " ; ") + "\n"
        }
        if let a = j.areas {
            out += "  aires de diffusion (\(a.layout), \(a.scale)) : \(a.areas) ; partagées : \(a.split) ; sans quintile : \(a.withoutQuintile) "
                + "(\(Int(a.populationWithoutQuintile.rounded())) habitants, comptés à part)\n"
            if !a.badFractions.isEmpty { out += "  fractions qui ne font pas 1 : " + Self.some(a.badFractions) + "\n" }
            if !a.unplaced.isEmpty { out += "  aires sans municipalité dans --areas, ignorées (\(a.unplaced.count)) : " + Self.some(a.unplaced.map(\.code)) + "\n" }
        }
        for m in j.merged {
            out += "  codes fusionnés : \(m.oldCodes.joined(separator: " + ")) → \(m.newCode)"
            out += m.notes.isEmpty ? "\n" : " (\(m.notes.joined(separator: " ; ")))\n"
        }
        for m in j.matchedByName { out += "  joint par le nom : ligne \(m.row) code \(m.code) \(m.name ?? "")\n" }
        if !j.unmatched.isEmpty {
            out += "  lignes sans territoire (\(j.unmatched.count)) : "
            out += Self.some(j.unmatched.map { [$0.code, $0.name ?? ""].filter { !$0.isEmpty }.joined(separator: " ") + " (ligne \($0.row))" }) + "\n"
        }
        if !j.withoutValue.isEmpty {
            out += "  territoires sans valeur (\(j.withoutValue.count)) : " + Self.some(j.withoutValue.map { "\($0.code) \($0.name)" }) + "\n"
        }
        for a in j.ambiguous.prefix(20) {
            out += "  ambigu, non joint : ligne \(a.row) « \(a.name) »\(a.reason.isEmpty ? "" : ", " + a.reason) (\(a.candidates.joined(separator: " ; ")))\n"
        }
        if j.ambiguous.count > 20 { out += "  … et \(j.ambiguous.count - 20) autres lignes ambiguës (--format json pour la liste complète)\n" }
        for m in j.incompleteMerges {
            out += "  fusion incomplète, sans valeur : \(m.newCode) ← \(m.present.joined(separator: " + "))"
                + (m.missing.isEmpty ? " (ancien et nouveau code à la fois)" : " ; manque : \(m.missing.joined(separator: ", "))") + "\n"
        }
        if !j.partial.isEmpty { out += "  lignes « (partie) », non jointes : " + Self.some(j.partial.map { "\($0.name ?? "") (ligne \($0.row))" }) + "\n" }
        if let notes = j.layout?.notes, !notes.isEmpty {
            out += "  notes sous le tableau, ignorées (\(notes.count)) : " + Self.some(notes.map { "ligne \($0.line) « \($0.text.prefix(60)) »" }, 5) + "\n"
        }
        if !j.withoutCode.isEmpty {
            out += "  lignes sans code, ignorées (\(j.withoutCode.count)) : "
            out += Self.some(j.withoutCode.map { "\($0.name ?? "?") (ligne \($0.row))" }) + "\n"
        }
        for d in j.duplicates {
            out += "  code en double\(d.valuesDiffer ? ", valeurs différentes, non joint" : "") : \(d.code) (lignes \(d.rows.map(String.init).joined(separator: ", ")))\n"
        }
        for (name, n) in j.suppressed.sorted(by: { $0.key < $1.key }) where n > 0 {
            out += "  \(name) : \(n) valeur(s) confidentielle(s)\n"
        }
        for (name, n) in j.missing.sorted(by: { $0.key < $1.key }) where n > 0 { out += "  \(name) : \(n) cellule(s) sans valeur (vide, tiret ou « ... » sans objet)\n" }
        return out
    }
}
