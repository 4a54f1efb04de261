import Foundation
import PortraitGeometry
import PortraitModel
import PortraitStore

public struct MobilisationImportReport: Codable, Sendable {
    public struct Problem: Codable, Sendable, Hashable { public var row: Int; public var id: String; public var problem: String }
    public var log: ImportLogEntry
    public var imported: Int
    public var targets: Int
    /// Rows kept but with something to fix (empty enjeux items, unknown territory…).
    public var problems: [Problem]
}

public enum MobilisationImporter {
    static let columns = ["id", "nom", "acronyme", "niveau", "territoire_type", "territoire_code", "region_code", "debut", "fin",
                          "leadership", "enjeux", "budget_cad", "source"]

    /// Imports the mobilisations file (replacing the ids it contains) and, optionally, its targets file.
    public static func run(file: String, targets: String? = nil, storePath: String) throws -> MobilisationImportReport {
        let layer: SourceLayer
        do { layer = try VectorSource.read(path: file, openOptions: ["AUTODETECT_TYPE=NO"], drivers: .tables) } catch let e as SourceError {
            throw ImportError(.notAGeoFile, file: file, e.message)
        }
        let missing = ["id", "nom", "territoire_type", "territoire_code", "enjeux"].filter { !layer.fields.contains($0) }
        guard missing.isEmpty else {
            throw ImportError(.unknownField, file: file, "colonnes manquantes : \(missing.joined(separator: ", ")) ; attendues : \(columns.joined(separator: ", "))")
        }
        let store = try Stores.open(storePath, writable: true)
        var problems: [MobilisationImportReport.Problem] = []
        var items: [Mobilisation] = []
        var rowOf: [String: Int] = [:]
        for f in layer.features {
            let row = f.index + 2
            func t(_ k: String) -> String? { f.attributes[k]?.text?.trimmingCharacters(in: .whitespaces).nonEmpty }
            guard let id = t("id") else { throw ImportError(.missingValue, file: file, location: "ligne \(row)", "colonne id : identifiant absent") }
            // The same id twice in one file: one would silently replace the other.
            if let first = rowOf[id] {
                throw ImportError(.conflictingDuplicate, file: file, location: "ligne \(row) (\(id))",
                                  "colonne id : « \(id) » déjà donné à la ligne \(first) ; un identifiant par mobilisation")
            }
            rowOf[id] = row
            guard let type = t("territoire_type"), let level = Level(rawValue: type == "municipalite" ? "municipality" : type) else {
                throw ImportError(.missingValue, file: file, location: "ligne \(row) (\(id))",
                                  "colonne territoire_type : « \(t("territoire_type") ?? "") » ; attendu : region, mrc ou municipalite")
            }
            guard let rawCode = t("territoire_code"), let code = try? Codes.normalise(rawCode, level: level) else {
                throw ImportError(.nonNumericCode, file: file, location: "ligne \(row) (\(id))", "colonne territoire_code : code numérique attendu")
            }
            let raw = (t("enjeux") ?? "").split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if raw.contains(where: \.isEmpty) {
                problems.append(.init(row: row, id: id, problem: "enjeux : élément vide dans « \(t("enjeux") ?? "") » (ignoré)"))
            }
            if try store.unit(level, code: code) == nil
                && (level == .municipality || (try store.municipalities(in: try Territory(level, code: code), withGeometry: false).isEmpty)) {
                problems.append(.init(row: row, id: id, problem: "territoire \(type) \(code) absent du magasin (gardé, sans géométrie)"))
            }
            func year(_ k: String) throws -> Int? {
                guard let text = t(k) else { return nil }
                guard let y = Int(text.prefix(4)), (1900...2100).contains(y) else {
                    throw ImportError(.missingValue, file: file, location: "ligne \(row) (\(id))", "colonne \(k) : année attendue (ex. 2021), reçu « \(text) »")
                }
                return y
            }
            let start = try year("debut"), end = try year("fin")
            if let start, let end, end < start {
                throw ImportError(.missingValue, file: file, location: "ligne \(row) (\(id))", "colonnes debut/fin : fin \(end) avant le début \(start)")
            }
            var budget: Double?
            if let text = t("budget_cad") {
                guard let v = CellValue.parse(text)?.number else {
                    throw ImportError(.missingValue, file: file, location: "ligne \(row) (\(id))", "colonne budget_cad : montant en dollars attendu, reçu « \(text) »")
                }
                guard v >= 0 else {
                    throw ImportError(.missingValue, file: file, location: "ligne \(row) (\(id))", "colonne budget_cad : budget négatif (\(text))")
                }
                budget = v
            }
            items.append(Mobilisation(id: id, name: t("nom") ?? id, acronym: t("acronyme"), scale: t("niveau"), territoryType: level,
                                      territoryCode: code, regionCode: t("region_code"), start: start, end: end,
                                      leadership: t("leadership"), enjeux: raw.filter { !$0.isEmpty },
                                      budget: budget, source: t("source")))
        }
        // The targets file is a plan file (`PlanImporter`): its plans and targets in the same transaction.
        var plans: [Plan] = [], targetRows: [PlanTarget] = []
        if let targets {
            let parsed = try PlanImporter.parse(file: targets, store: store, newMobilisations: items)
            plans = parsed.plans; targetRows = parsed.targets
            problems += parsed.warnings.map { .init(row: 0, id: targets, problem: $0) }
        }
        var entry = ImportLogEntry(kind: "mobilisations", sourceFile: ImportWriter.sourceFile(file), sha256: try FileDigest.sha256(file),
                                   featuresRead: layer.features.count, units: items.count, warnings: problems.map { "ligne \($0.row) (\($0.id)) : \($0.problem)" })
        try store.logged(&entry, count: items.count) { id in
            let replaced = try store.saveMobilisations(items, importID: id)
            if !plans.isEmpty { try store.savePlans(plans, targets: targetRows, importID: id) }
            return replaced
        }
        return MobilisationImportReport(log: entry, imported: items.count, targets: targetRows.count, problems: problems)
    }

}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
