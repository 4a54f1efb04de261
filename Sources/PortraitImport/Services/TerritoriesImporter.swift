import Foundation
import PortraitGeometry
import PortraitModel
import PortraitStore

public struct TerritoriesImportReport: Codable, Sendable {
    public struct Item: Codable, Sendable, Hashable { public var id: String; public var name: String; public var members: Int }
    public var log: ImportLogEntry
    public var territories: [Item]
}

/// Custom territories from a table (CSV, XLSX, ODS): a name column (`nom`, `name`, `territoire`) and either a
/// `codes` column listing the members (separated by `,` `;` `|` or spaces) or a `code` column, one row per
/// member. Rows of the same name are one territory. Every member must be a municipal code of the store: a file
/// with an unreadable or unknown code is refused whole, each such row named, and nothing is written.
public enum TerritoriesImporter {
    static let nameColumns = ["nom", "name", "territoire", "territory", "nom_territoire"]
    static let listColumns = ["codes", "membres", "members", "municipalites"]
    static let codeColumns = ["code", "code_geo", "mus_co_geo", "code_municipal", "geocode"]

    public static func run(file: String, storePath: String) throws -> TerritoriesImportReport {
        let layer: SourceLayer
        do { layer = try VectorSource.read(path: file, openOptions: ["AUTODETECT_TYPE=NO"], drivers: .tables) } catch let e as SourceError {
            throw ImportError(.notAGeoFile, file: file, e.message)
        }
        let byKey = Dictionary(layer.fields.map { (Names.key($0), $0) }) { a, _ in a }
        func column(_ keys: [String]) -> String? { keys.lazy.compactMap { byKey[$0] }.first }
        guard let nameColumn = column(nameColumns) else {
            throw ImportError(.unknownField, file: file, "colonne du nom absente (nom, name ou territoire) ; colonnes : \(layer.fields.joined(separator: ", "))")
        }
        let listColumn = column(listColumns), codeColumn = column(codeColumns)
        guard let membersColumn = listColumn ?? codeColumn else {
            throw ImportError(.unknownField, file: file,
                              "colonne des membres absente : codes (liste de codes municipaux) ou code (un membre par ligne) ; colonnes : \(layer.fields.joined(separator: ", "))")
        }
        let store = try Stores.open(storePath, writable: true)
        let known = Dictionary(try store.units(.municipality, withGeometry: false).map { ($0.code, $0) }) { a, _ in a }
        guard !known.isEmpty else { throw ImportError(.noBoundaries, file: storePath, "aucune limite municipale : importez d'abord les municipalités") }
        var order: [String] = [], names: [String: String] = [:], members: [String: Set<String>] = [:]
        var problems: [String] = []
        for f in layer.features {
            let row = f.index + 2
            let name = (f.attributes[nameColumn]?.text ?? "").trimmingSpaces()
            let raw = (f.attributes[membersColumn]?.text ?? "").trimmingSpaces()
            if name.isEmpty && raw.isEmpty { continue }   // a blank line
            guard !name.isEmpty else { problems.append("ligne \(row), colonne \(nameColumn) : nom absent"); continue }
            let id = Territory.identifier(name)
            guard !id.isEmpty else { problems.append("ligne \(row), colonne \(nameColumn) : « \(name) » ne donne aucun identifiant"); continue }
            if let other = names[id], other != name {
                problems.append("ligne \(row), colonne \(nameColumn) : « \(name) » et « \(other) » ont le même identifiant « \(id) »")
                continue
            }
            let parts = raw.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "|" || $0 == " " }).map(String.init)
            guard !parts.isEmpty else { problems.append("ligne \(row), colonne \(membersColumn) : aucun code municipal"); continue }
            for p in parts {
                guard let code = try? Codes.municipal(p) else {
                    problems.append("ligne \(row), colonne \(membersColumn) : « \(p) » n'est pas un code municipal (5 chiffres)")
                    continue
                }
                guard known[code] != nil else {
                    problems.append("ligne \(row), colonne \(membersColumn) : code \(code) absent du magasin")
                    continue
                }
                if names[id] == nil { order.append(id); names[id] = name }
                members[id, default: []].insert(code)
            }
        }
        guard problems.isEmpty else {
            throw ImportError(.missingValue, file: file, "\(problems.count) problème(s), rien n'a été importé : " + problems.prefix(20).joined(separator: " ; ")
                              + (problems.count > 20 ? " ; …" : ""))
        }
        guard !order.isEmpty else { throw ImportError(.emptyLayer, file: file, "aucun territoire dans le fichier") }
        let source = ImportWriter.sourceFile(file) ?? file
        let territories = order.map { CustomTerritory(name: names[$0]!, codes: Array(members[$0]!), source: (source as NSString).lastPathComponent) }
        var entry = ImportLogEntry(kind: "territories", sourceFile: source, sha256: try FileDigest.sha256(file),
                                   featuresRead: layer.features.count, units: territories.count)
        try store.logged(&entry, count: territories.count) { try store.saveCustomTerritories(territories, importID: $0) }
        return TerritoriesImportReport(log: entry, territories: territories.map { .init(id: $0.id, name: $0.name, members: $0.codes.count) })
    }
}
