import Foundation
import PortraitGeometry
import PortraitStore

/// A regional or local mobilisation (concertation table, agreement, plan).
public struct Mobilisation: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var acronym: String?
    /// "regional" or "local".
    public var scale: String?
    public var territoryType: Level
    public var territoryCode: String
    public var regionCode: String?
    public var start: Int?
    public var end: Int?
    public var leadership: String?
    public var enjeux: [String]
    public var budget: Double?
    public var source: String?
    enum CodingKeys: String, CodingKey {
        case id, name, acronym, scale, territoryType = "territory_type", territoryCode = "territory_code",
             regionCode = "region_code", start, end, leadership, enjeux, budget, source
    }
}

public struct MobilisationImportReport: Codable, Sendable {
    public struct Problem: Codable, Sendable, Hashable { public var row: Int; public var id: String; public var problem: String }
    public var log: ImportLogEntry
    public var imported: Int
    public var targets: Int
    /// Rows kept but with something to fix (empty enjeux items, unknown territory…).
    public var problems: [Problem]
}

/// Per municipality: the mobilisations covering it and the enjeux nobody covers.
public struct MobilisationCoverage: Codable, Sendable, Hashable {
    public var code: String
    public var name: String
    public var mrcCode: String?
    public var mobilisations: [String]
    public var tableCount: Int
    public var enjeux: [String]
    public var enjeuxWithoutTable: [String]
    enum CodingKeys: String, CodingKey {
        case code, name, mrcCode = "mrc_code", mobilisations, tableCount = "table_count", enjeux,
             enjeuxWithoutTable = "enjeux_without_table"
    }
}

public enum MobilisationImporter {
    static let columns = ["id", "nom", "acronyme", "niveau", "territoire_type", "territoire_code", "region_code", "debut", "fin",
                          "leadership", "enjeux", "budget_cad", "source"]

    /// Imports the mobilisations file (replacing the ids it contains) and, optionally, its targets file.
    public static func run(file: String, targets: String? = nil, storePath: String) throws -> MobilisationImportReport {
        guard TerritoryStore.exists(at: storePath) else {
            throw ImportError(.noBoundaries, file: storePath, "magasin absent : importez d'abord les limites")
        }
        let layer: SourceLayer
        do { layer = try VectorSource.read(path: file, openOptions: ["AUTODETECT_TYPE=NO"]) } catch let e as SourceError {
            throw ImportError(.notAGeoFile, file: file, e.description)
        }
        let missing = ["id", "nom", "territoire_type", "territoire_code", "enjeux"].filter { !layer.fields.contains($0) }
        guard missing.isEmpty else {
            throw ImportError(.unknownField, file: file, "colonnes manquantes : \(missing.joined(separator: ", ")) ; attendues : \(columns.joined(separator: ", "))")
        }
        let store = try TerritoryStore(openExisting: storePath, writable: true)
        try store.transaction { try store.ensureSchema() }
        var problems: [MobilisationImportReport.Problem] = []
        var items: [Mobilisation] = []
        for f in layer.features {
            let row = f.index + 2
            func t(_ k: String) -> String? { f.attributes[k]?.text?.trimmingCharacters(in: .whitespaces).nonEmpty }
            guard let id = t("id") else { throw ImportError(.missingValue, file: file, location: "ligne \(row)", "colonne id : identifiant absent") }
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
                && (try store.units(.municipality, withGeometry: false, where: "\(level == .region ? "region_code" : "mrc_code") = ?", [.text(code)]).isEmpty) {
                problems.append(.init(row: row, id: id, problem: "territoire \(type) \(code) absent du magasin (gardé, sans géométrie)"))
            }
            func year(_ k: String) -> Int? { t(k).flatMap { Int($0.prefix(4)) } }
            items.append(Mobilisation(id: id, name: t("nom") ?? id, acronym: t("acronyme"), scale: t("niveau"), territoryType: level,
                                      territoryCode: code, regionCode: t("region_code"), start: year("debut"), end: year("fin"),
                                      leadership: t("leadership"), enjeux: raw.filter { !$0.isEmpty },
                                      budget: t("budget_cad").flatMap { CellValue.parse($0)?.number }, source: t("source")))
        }
        var targetRows: [[SQLValue]] = []
        if let targets {
            let tl: SourceLayer
            do { tl = try VectorSource.read(path: targets, openOptions: ["AUTODETECT_TYPE=NO"]) } catch let e as SourceError {
                throw ImportError(.notAGeoFile, file: targets, e.description)
            }
            for f in tl.features {
                let id = f.attributes["mobilisation_id"]?.text ?? ""
                if !items.contains(where: { $0.id == id }), try store.db.scalar("SELECT count(*) FROM mobilisations WHERE mobilisation_id = ?", [.text(id)])?.int == 0 {
                    problems.append(.init(row: f.index + 2, id: id, problem: "cible d'une mobilisation inconnue (gardée)"))
                }
                targetRows.append([.text(id), .optional(f.attributes["axe"]?.text), .optional(f.attributes["indicateur"]?.text),
                                   .optional(f.attributes["cible"]?.text.flatMap { CellValue.parse($0)?.number }),
                                   .optional(f.attributes["unite"]?.text), f.attributes["echeance"]?.text.flatMap { Int($0) }.map { .int(Int64($0)) } ?? .null,
                                   .optional(f.attributes["source"]?.text)])
            }
        }
        var entry = ImportLogEntry(kind: "mobilisations", sourceFile: file, sha256: try SHA256.hex(fileAt: file),
                                   featuresRead: layer.features.count, units: items.count, warnings: problems.map { "ligne \($0.row) (\($0.id)) : \($0.problem)" })
        try store.transaction {
            let id = try store.logImport(entry)
            entry.id = id
            for m in items {
                try store.db.run("DELETE FROM mobilisations WHERE mobilisation_id = ?", [.text(m.id)])
                if store.db.changes > 0 { entry.replaced += 1 } else { entry.inserted += 1 }
                try store.db.run("""
                    INSERT INTO mobilisations (mobilisation_id, name, acronym, scale, territory_type, territory_code, region_code,
                      start_year, end_year, leadership, enjeux, budget_cad, source, import_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                    """, [.text(m.id), .text(m.name), .optional(m.acronym), .optional(m.scale), .text(m.territoryType.rawValue),
                          .text(m.territoryCode), .optional(m.regionCode), m.start.map { .int(Int64($0)) } ?? .null,
                          m.end.map { .int(Int64($0)) } ?? .null, .optional(m.leadership), .text(m.enjeux.joined(separator: "|")),
                          .optional(m.budget), .optional(m.source), .int(id)])
            }
            if !targetRows.isEmpty {
                let ids = Set(targetRows.compactMap { $0[0].text })
                for i in ids { try store.db.run("DELETE FROM mobilisation_targets WHERE mobilisation_id = ?", [.text(i)]) }
                for r in targetRows {
                    try store.db.run("INSERT INTO mobilisation_targets (mobilisation_id, axis, indicator, target, unit, deadline, source, import_id) VALUES (?,?,?,?,?,?,?,?)",
                                     r + [.int(id)])
                }
            }
            try store.updateImport(id, entry)
        }
        return MobilisationImportReport(log: entry, imported: items.count, targets: targetRows.count, problems: problems)
    }

    /// Mobilisations active in `year` (all when nil) covering each municipality of a region or MRC.
    public static func coverage(storePath: String, level: Level, code rawCode: String, year: Int? = nil) throws -> [MobilisationCoverage] {
        let store = try TerritoryStore(openExisting: storePath)
        let code = try Codes.normalise(rawCode, level: level)
        let units = try store.units(.municipality, withGeometry: false,
                                    where: "\(level == .region ? "region_code" : "mrc_code") = ?", [.text(code)]).filter { !$0.isAquatic }
        let all = try store.mobilisations().filter { m in
            guard let year else { return true }
            return (m.start ?? Int.min) <= year && year <= (m.end ?? Int.max)
        }
        return units.map { u in
            let covering = all.filter {
                switch $0.territoryType {
                case .region: $0.territoryCode == u.regionCode
                case .mrc: $0.territoryCode == u.mrcCode
                case .municipality: $0.territoryCode == u.code
                }
            }
            // Enjeux worked on somewhere in the region: the ones no table covers here are gaps.
            let regional = Set(all.filter { $0.regionCode == u.regionCode || $0.territoryCode == u.regionCode }.flatMap(\.enjeux))
            let here = Set(covering.flatMap(\.enjeux))
            return MobilisationCoverage(code: u.code, name: u.name, mrcCode: u.mrcCode, mobilisations: covering.map(\.id).sorted(),
                                        tableCount: covering.count, enjeux: here.sorted(), enjeuxWithoutTable: regional.subtracting(here).sorted())
        }
    }
}

extension TerritoryStore {
    public func mobilisations() throws -> [Mobilisation] {
        guard try db.tableExists("mobilisations") else { return [] }
        return try db.query("""
            SELECT mobilisation_id, name, acronym, scale, territory_type, territory_code, region_code, start_year, end_year,
                   leadership, enjeux, budget_cad, source FROM mobilisations ORDER BY mobilisation_id
            """).map { r in
            Mobilisation(id: r[0].text ?? "", name: r[1].text ?? "", acronym: r[2].text, scale: r[3].text,
                         territoryType: Level(rawValue: r[4].text ?? "") ?? .region, territoryCode: r[5].text ?? "", regionCode: r[6].text,
                         start: r[7].int, end: r[8].int, leadership: r[9].text,
                         enjeux: (r[10].text ?? "").split(separator: "|").map(String.init), budget: r[11].double, source: r[12].text)
        }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
