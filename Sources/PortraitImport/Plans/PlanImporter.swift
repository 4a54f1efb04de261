import Foundation
import PortraitGeometry
import PortraitModel
import PortraitStore

/// The plan file: one row per target. Required: `mobilisation_id`, `indicateur`, and `cible` (or a rule whose
/// target is its baseline). Optional: `plan_id`, `plan_titre`, `plan_debut`, `plan_fin`, `id`, `axe`, `unite`,
/// `sens`, `reference`, `date_reference`, `echeance`, `recurrence`, `responsables`, `portee`,
/// `indicateur_portrait`, `regle`, `seuil`, `source`. The targets file of `import mobilisations --targets`
/// (mobilisation_id, axe, indicateur, cible, unite, echeance, source) is a plan file.
public struct PlanImportReport: Codable, Sendable {
    public var log: ImportLogEntry
    public var plans: [Plan]
    public var targets: Int
    public var warnings: [String]
}

public enum PlanImporter {
    static let columns = ["mobilisation_id", "plan_id", "plan_titre", "plan_debut", "plan_fin", "id", "axe", "indicateur", "cible", "unite",
                          "sens", "reference", "date_reference", "echeance", "recurrence", "responsables", "portee",
                          "indicateur_portrait", "regle", "seuil", "source"]

    /// Imports a plan file (CSV, XLSX, ODS…) on its own, in one transaction.
    public static func run(file: String, storePath: String) throws -> PlanImportReport {
        let store = try Stores.open(storePath, writable: true)
        let (plans, targets, warnings, rows) = try parse(file: file, store: store, newMobilisations: [])
        var entry = ImportLogEntry(kind: "plans", sourceFile: ImportWriter.sourceFile(file), sha256: try FileDigest.sha256(file),
                                   featuresRead: rows, units: targets.count, warnings: warnings)
        try store.logged(&entry, count: plans.count) { try store.savePlans(plans, targets: targets, importID: $0) }
        return PlanImportReport(log: entry, plans: plans, targets: targets.count, warnings: warnings)
    }

    /// Reads the plans and targets of a file; a cell that cannot be read refuses the file, naming its row and column.
    static func parse(file: String, store: any TerritoryStore, newMobilisations: [Mobilisation])
        throws -> (plans: [Plan], targets: [PlanTarget], warnings: [String], rows: Int) {
        let layer: SourceLayer
        do { layer = try VectorSource.read(path: file, openOptions: ["AUTODETECT_TYPE=NO"], drivers: .tables) } catch let e as SourceError {
            throw ImportError(.notAGeoFile, file: file, e.description)
        }
        let fields = Dictionary(layer.fields.map { (Names.key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let missing = ["mobilisation_id", "indicateur"].filter { fields[$0] == nil }
        guard missing.isEmpty else {
            throw ImportError(.unknownField, file: file, "colonnes manquantes : \(missing.joined(separator: ", ")) ; colonnes reconnues : \(columns.joined(separator: ", "))")
        }
        let known = Dictionary((try store.mobilisations() + newMobilisations).map { ($0.id, $0) }, uniquingKeysWith: { _, b in b })
        let definitions = Set(try store.indicatorDefinitions().map(\.name))
        // Target ids are unique in the store: an id another plan holds cannot be taken.
        let taken = Dictionary(try store.planTargets(plan: nil).map { ($0.id, $0.planID) }, uniquingKeysWith: { a, _ in a })
        var warnings: [String] = []
        var plans: [String: Plan] = [:], planOrder: [String] = []
        var targets: [PlanTarget] = [], ids: [String: Int] = [:], positions: [String: Int] = [:]
        for f in layer.features {
            let row = f.index + 2
            func t(_ k: String) -> String? {
                fields[k].flatMap { f.attributes[$0]?.text?.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            func fail(_ column: String, _ problem: String) -> ImportError {
                ImportError(.missingValue, file: file, location: "ligne \(row)", "colonne \(column) : \(problem)")
            }
            func number(_ k: String) throws -> Double? {
                guard let s = t(k) else { return nil }
                guard let v = CellValue.parse(s)?.number else { throw fail(k, "nombre attendu, reçu « \(s) »") }
                return v
            }
            func year(_ k: String) throws -> Int? {
                guard let s = t(k) else { return nil }
                guard s.count == 4, let y = Int(s), (1900...2100).contains(y) else { throw fail(k, "année attendue (ex. 2028), reçu « \(s) »") }
                return y
            }
            guard let mid = t("mobilisation_id") else { throw fail("mobilisation_id", "identifiant absent") }
            guard let indicator = t("indicateur") else { throw fail("indicateur", "texte de l'indicateur absent") }
            if known[mid] == nil { warnings.append("ligne \(row) : mobilisation « \(mid) » inconnue (plan gardé)") }
            let planID = t("plan_id") ?? mid
            if plans[planID] == nil {
                let title = t("plan_titre") ?? t("source") ?? "Plan d'action — \(known[mid]?.name ?? mid)"
                var start = try year("plan_debut"), end = try year("plan_fin")
                // The period a title states (« … 2024-2028 »), when the file gives none.
                if start == nil && end == nil, let r = title.range(of: #"(19|20)\d\d\s*[-–à]\s*(19|20)\d\d"#, options: .regularExpression) {
                    let years = title[r].split { !$0.isNumber }.compactMap { Int($0) }
                    if years.count == 2, years[0] <= years[1] { start = years[0]; end = years[1] }
                }
                if let s = start, let e = end, e < s { throw fail("plan_fin", "fin \(e) avant le début \(s)") }
                plans[planID] = Plan(id: planID, mobilisationID: mid, title: title, start: start, end: end, source: t("source"))
                planOrder.append(planID)
            }
            let plan = plans[planID]!
            positions[planID, default: 0] += 1
            let id = t("id") ?? "\(planID)-\(positions[planID]!)"
            if let first = ids[id] { throw ImportError(.conflictingDuplicate, file: file, location: "ligne \(row)", "colonne id : « \(id) » déjà donné à la ligne \(first)") }
            ids[id] = row
            if let other = taken[id], other != planID {
                throw ImportError(.conflictingDuplicate, file: file, location: "ligne \(row)", "colonne id : « \(id) » est déjà une cible du plan \(other)")
            }
            // Direction.
            var direction = TargetDirection.atLeast
            if let s = t("sens") {
                let symbols: [String: TargetDirection] = ["≥": .atLeast, ">=": .atLeast, "≤": .atMost, "<=": .atMost, ">": .moreThan, "<": .lessThan]
                switch symbols[s] ?? [String: TargetDirection]([
                    ("au_moins", .atLeast), ("minimum", .atLeast), ("at_least", .atLeast), ("au_plus", .atMost), ("maximum", .atMost),
                    ("at_most", .atMost), ("plus_que", .moreThan), ("plus_de", .moreThan), ("more_than", .moreThan),
                    ("moins_que", .lessThan), ("moins_de", .lessThan), ("less_than", .lessThan)], uniquingKeysWith: { a, _ in a })[Names.key(s)] {
                case let d?: direction = d
                default: throw fail("sens", "attendu au moins, au plus, plus que ou moins que (≥ ≤ > <), reçu « \(s) »")
                }
            }
            // Deadline and recurrence.
            var recurrence = Recurrence.none
            var deadline: Int?
            if let s = t("echeance") {
                switch Names.key(s) {
                case "annuel", "annuelle", "chaque_annee", "par_annee", "annual": recurrence = .annual
                case "aux_deux_ans", "biennal", "biennale", "every_two_years": recurrence = .biennial
                default:
                    guard s.count == 4, let y = Int(s), (1900...2100).contains(y) else {
                        throw fail("echeance", "année (ex. 2028), annuel ou aux deux ans attendus, reçu « \(s) »")
                    }
                    deadline = y
                }
            }
            let unit = t("unite")
            if let s = t("recurrence") {
                switch Names.key(s) {
                case "aucune", "non", "none": recurrence = .none
                case "annuel", "annuelle", "chaque_annee", "annual": recurrence = .annual
                case "aux_deux_ans", "biennal", "biennale", "every_two_years": recurrence = .biennial
                default: throw fail("recurrence", "attendu aucune, annuelle ou aux deux ans, reçu « \(s) »")
                }
            } else if recurrence == .none, let u = unit.map(Names.key) {
                // A unit that states its period (« événement aux deux ans », « campagne par année »).
                if u.hasSuffix("aux_deux_ans") { recurrence = .biennial } else if u.hasSuffix("par_annee") || u.hasSuffix("par_an") { recurrence = .annual }
            }
            if deadline == nil { deadline = plan.end }
            if recurrence == .none && deadline == nil { throw fail("echeance", "échéance absente et plan sans fin (plan_fin)") }
            // Baseline.
            let baseline = try number("reference")
            let baselineDate = t("date_reference")
            if let d = baselineDate, PlanDate(d) == nil { throw fail("date_reference", "date AAAA ou AAAA-MM-JJ attendue, reçu « \(d) »") }
            if baseline != nil && baselineDate == nil { throw fail("date_reference", "la référence \(t("reference")!) n'a pas de date") }
            // A rule on an imported indicator.
            var rule: IndicatorRule?
            if let ind = t("indicateur_portrait") {
                guard let r = t("regle") else { throw fail("regle", "la cible liée à « \(ind) » demande une règle : " + IndicatorRule.Measure.allCases.map(\.rawValue).joined(separator: ", ")) }
                guard let m = IndicatorRule.Measure(rawValue: Names.key(r)) else {
                    throw fail("regle", "« \(r) » inconnue ; attendues : " + IndicatorRule.Measure.allCases.map(\.rawValue).joined(separator: ", "))
                }
                let th = try number("seuil")
                if m.needsThreshold && th == nil { throw fail("seuil", "la règle \(m.rawValue) demande un seuil") }
                rule = IndicatorRule(indicator: ind, measure: m, threshold: th)
                if !definitions.contains(ind) { warnings.append("ligne \(row) : indicateur « \(ind) » pas encore importé (sans donnée jusqu'à son import)") }
            } else if t("regle") != nil { throw fail("indicateur_portrait", "une règle sans indicateur") }
            let target = try number("cible")
            if target == nil {
                guard rule != nil, baselineDate != nil, direction.isStrict else {
                    throw fail("cible", "valeur absente (seule une cible liée à un indicateur, « plus que » ou « moins que » sa référence datée, peut s'en passer)")
                }
            }
            var scope = TargetScope.mobilisation
            if let s = t("portee") {
                switch Names.key(s) {
                case "mobilisation", "plan", "region", "regionale": scope = .mobilisation
                case "chaque_concertation_locale", "concertations_locales", "locale", "chaque_comite_local", "each_local": scope = .eachLocal
                default: throw fail("portee", "attendu mobilisation ou chaque concertation locale, reçu « \(s) »")
                }
            }
            targets.append(PlanTarget(id: id, planID: planID, position: positions[planID]!, axis: t("axe"), indicator: indicator, target: target,
                                      unit: unit, direction: direction, baseline: baseline, baselineDate: baselineDate, deadline: deadline,
                                      recurrence: recurrence,
                                      responsible: (t("responsables") ?? "").split(whereSeparator: { $0 == ";" || $0 == "|" })
                                        .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                                      scope: scope, rule: rule, source: t("source")))
        }
        return (planOrder.map { plans[$0]! }, targets, warnings, layer.features.count)
    }
}
