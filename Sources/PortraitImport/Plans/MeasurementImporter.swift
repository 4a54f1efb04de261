import Foundation
import PortraitGeometry
import PortraitModel
import PortraitStore

/// The measurements file: `cible` (the target's id, or its indicator text), `territoire` (a mobilisation's id, or
/// `mrc:CODE` / `region:CODE`), `date` (YYYY or YYYY-MM-DD), `valeur`, and optionally `source`, `commentaire`.
/// A row whose target, territory, date or value cannot be decided is listed with its row and column and left
/// out; the others are imported (`strict`: the file is refused instead).
public struct MeasurementImportReport: Codable, Sendable {
    public struct Rejected: Codable, Sendable, Hashable {
        public var row: Int
        public var column: String
        public var problem: String
    }
    public var log: ImportLogEntry
    public var imported: Int
    public var replaced: Int
    public var rejected: [Rejected]
}

public enum MeasurementImporter {
    static let columns = ["cible", "territoire", "date", "valeur", "source", "commentaire"]

    /// What a writer may record: one plan's targets, one local concertation's measurements (a committee's token).
    public struct Scope: Sendable, Hashable {
        public var plan: String?
        public var territory: String?
        public init(plan: String? = nil, territory: String? = nil) { self.plan = plan; self.territory = territory }
    }

    /// A measurement outside the writer's scope: the whole file is refused, nothing written.
    public struct OutOfScope: PortraitError, Sendable {
        public var message: String
        public var kind: ErrorKind { .forbidden }
        public var description: String { message }
    }

    public static func run(file: String, plan: String? = nil, strict: Bool = false, scope: Scope = Scope(), storePath: String) throws -> MeasurementImportReport {
        if let plan { try NameRule.checkField(plan, option: "plan") }
        if let p = scope.plan, let plan, plan != p {
            throw OutOfScope(message: "plan « \(Escape.plain(plan, limit: 60)) » hors de la portée du jeton (plan \(p)) : rien n'est importé")
        }
        let plan = plan ?? scope.plan
        let layer: SourceLayer
        do { layer = try VectorSource.read(path: file, openOptions: ["AUTODETECT_TYPE=NO"], drivers: .tables) } catch let e as SourceError {
            throw ImportError(.notAGeoFile, file: file, e.description)
        }
        let fields = Dictionary(layer.fields.map { (Names.key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let missing = ["cible", "territoire", "date", "valeur"].filter { fields[$0] == nil }
        guard missing.isEmpty else {
            throw ImportError(.unknownField, file: file, "colonnes manquantes : \(missing.joined(separator: ", ")) ; attendues : \(columns.joined(separator: ", "))")
        }
        let store = try Stores.open(storePath, writable: true)
        let plans = try store.plans()
        if let plan, !plans.contains(where: { $0.id == plan }) {
            throw ImportError(.missingValue, file: file, "plan « \(plan) » absent du magasin ; plans : \(plans.map(\.id).joined(separator: ", "))")
        }
        let targets = try store.planTargets(plan: plan)
        guard !targets.isEmpty else {
            throw ImportError(.noBoundaries, file: file, "aucune cible dans le magasin\(plan.map { " pour le plan \($0)" } ?? "") : importez d'abord le plan (portrait import plan, ou import mobilisations --targets)")
        }
        let mobilisations = try store.mobilisations()
        let planByID = Dictionary(plans.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var rejected: [MeasurementImportReport.Rejected] = []
        var kept: [(row: Int, m: TargetMeasurement)] = []
        for f in layer.features {
            let row = f.index + 2
            func t(_ k: String) -> String? {
                fields[k].flatMap { f.attributes[$0]?.text?.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            func reject(_ column: String, _ problem: String) { rejected.append(.init(row: row, column: column, problem: problem)) }
            // The target: its id, else its indicator text (case, accents and punctuation ignored), which must name one target.
            guard let c = t("cible") else { reject("cible", "cible absente"); continue }
            var matches = targets.filter { $0.id == c }
            if matches.isEmpty { matches = targets.filter { Names.key($0.indicator) == Names.key(c) } }
            guard matches.count == 1, let target = matches.first else {
                reject("cible", matches.isEmpty ? "« \(c) » ne nomme aucune cible (ids : \(targets.prefix(4).map(\.id).joined(separator: ", "))…)"
                       : "« \(c) » nomme \(matches.count) cibles (\(matches.map(\.id).joined(separator: ", "))) : donnez son id")
                continue
            }
            if let r = target.rule {
                reject("cible", "la cible \(target.id) est liée à l'indicateur « \(r.indicator) » : ses mesures viennent de ses millésimes")
                continue
            }
            // The territory.
            guard let rawTerritory = t("territoire") else { reject("territoire", "territoire absent"); continue }
            let territory: String
            let parts = rawTerritory.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 {
                guard let level = Level(rawValue: parts[0].lowercased()), level != .municipality,
                      let code = try? Codes.normalise(parts[1], level: level) else {
                    reject("territoire", "« \(rawTerritory) » : attendu un id de mobilisation, mrc:CODE ou region:CODE"); continue
                }
                // An MRC that exactly one local concertation of the target's plan covers is that concertation.
                let planMob = planByID[target.planID].flatMap { p in mobilisations.first { $0.id == p.mobilisationID } }
                let locals = planMob.map { $0.locals(among: mobilisations) } ?? []
                let covering = locals.filter { $0.territoryType == level && $0.territoryCode == code }
                if covering.count == 1 { territory = covering[0].id }
                else if planMob?.territoryType == level && planMob?.territoryCode == code { territory = planMob!.id }
                else {
                    guard try store.unit(level, code: code) != nil else { reject("territoire", "\(level.rawValue) \(code) absent du magasin"); continue }
                    territory = "\(level.rawValue):\(code)"
                }
            } else {
                guard mobilisations.contains(where: { $0.id == rawTerritory }) else {
                    reject("territoire", "mobilisation « \(rawTerritory) » inconnue"); continue
                }
                territory = rawTerritory
            }
            guard let d = t("date") else { reject("date", "date absente"); continue }
            guard let date = PlanDate(d) else { reject("date", "« \(d) » : AAAA ou AAAA-MM-JJ attendu"); continue }
            guard let v = t("valeur") else { reject("valeur", "valeur absente"); continue }
            guard let value = CellValue.parse(v)?.number, value.isFinite else { reject("valeur", "« \(v) » : nombre attendu"); continue }
            kept.append((row, TargetMeasurement(targetID: target.id, territory: territory, date: date.description, value: value,
                                          source: t("source"), comment: t("commentaire"))))
        }
        // The same target, territory and date twice in one file: neither can be chosen.
        let byKey = Dictionary(grouping: kept, by: { "\($0.m.targetID)\u{1F}\($0.m.territory)\u{1F}\($0.m.date)" })
        for (_, group) in byKey where group.count > 1 && Set(group.map(\.m.value)).count > 1 {
            for g in group {
                rejected.append(.init(row: g.row, column: "valeur", problem: "\(g.m.targetID), \(g.m.territory), \(g.m.date) : valeurs différentes aux lignes "
                                      + group.map { String($0.row) }.joined(separator: ", ")))
            }
        }
        // A writer limited to a plan or a local concertation: one row outside it refuses the whole file.
        let planOfTarget = Dictionary(targets.map { ($0.id, $0.planID) }, uniquingKeysWith: { a, _ in a })
        for (row, m) in kept {
            if let p = scope.plan, planOfTarget[m.targetID] != p {
                throw OutOfScope(message: "ligne \(row) : la cible \(m.targetID) n'est pas du plan \(p), seul permis à ce jeton : rien n'est importé")
            }
            if let t = scope.territory, m.territory != t {
                throw OutOfScope(message: "ligne \(row), colonne territoire : « \(m.territory) » hors de la portée du jeton (territoire \(t)) : rien n'est importé")
            }
        }
        let rejectedRows = Set(rejected.map(\.row))
        var seen = Set<String>()
        let measurements = kept.filter { !rejectedRows.contains($0.row) }.map(\.m).filter {
            seen.insert("\($0.targetID)\u{1F}\($0.territory)\u{1F}\($0.date)").inserted
        }
        rejected.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        if strict, let first = rejected.first {
            throw ImportError(.missingValue, file: file, location: "ligne \(first.row)", "colonne \(first.column) : \(first.problem)"
                              + (rejected.count > 1 ? " (et \(rejected.count - 1) autre(s) ligne(s))" : "") + " ; rien n'est importé (--strict)")
        }
        var entry = ImportLogEntry(kind: "measurements", sourceFile: ImportWriter.sourceFile(file), sha256: try FileDigest.sha256(file),
                                   featuresRead: layer.features.count, units: measurements.count,
                                   warnings: rejected.map { "ligne \($0.row), colonne \($0.column) : \($0.problem)" })
        try store.logged(&entry, count: measurements.count) { try store.saveMeasurements(measurements, importID: $0) }
        return MeasurementImportReport(log: entry, imported: measurements.count, replaced: entry.replaced, rejected: rejected)
    }
}
