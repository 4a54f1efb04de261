import PortraitTerritory
import Foundation
import PortraitGeometry
import PortraitModel
import PortraitStore

/// A layer's features as a table: one row per feature, its id, its properties (numbers as numbers), a point's
/// longitude and latitude; and beside each indicator's column, its unit, vintage and source (`NAME_unite`,
/// `NAME_millesime`, `NAME_source`), as the portrait's tables carry them.
public enum LayerTable {
    public static func table(_ fc: FeatureCollection, name: String, store: any TerritoryStore) throws -> DataTable {
        var keys: [String] = []
        var known = Set<String>()
        for f in fc.features { for (k, _) in f.properties where known.insert(k).inserted { keys.append(k) } }
        let definitions = Dictionary(try store.indicatorDefinitions().map { ($0.name, $0) }) { a, _ in a }
        var meta: [String: (unit: String, vintage: Int?, source: String)] = [:]
        for k in keys {
            guard let d = definitions[k] else { continue }
            let v = try store.vintages(k).last
            let sources = try v.map { try store.indicatorSources(k, vintage: $0) } ?? []
            meta[k] = (d.unit, v, sources.map(SourceCatalogue.cite).joined(separator: " ; "))
        }
        let points = fc.features.contains { if case .point? = $0.geometry { true } else { false } }
        var columns = ["id"]
        for k in keys {
            columns.append(k)
            if meta[k] != nil { columns += [k + "_unite", k + "_millesime", k + "_source"] }
        }
        if points { columns += ["longitude", "latitude"] }
        let rows = fc.features.map { f -> [DataTable.Cell] in
            var row: [DataTable.Cell] = [.of(f.id)]
            let values = Dictionary(f.properties.map { ($0.key, $0.value) }) { a, _ in a }
            for k in keys {
                switch values[k] {
                case .string(let s)?: row.append(.text(s))
                case .int(let i)?: row.append(.integer(i))
                case .double(let d)?: row.append(.of(d))
                case .bool(let b)?: row.append(.text(b ? "oui" : "non"))
                default: row.append(.empty)
                }
                if let m = meta[k] { row += [.text(m.unit), .of(m.vintage), .text(m.source)] }
            }
            if points {
                if case .point(let p)? = f.geometry { row += [.number(p.position.x), .number(p.position.y)] } else { row += [.empty, .empty] }
            }
            return row
        }
        return DataTable(name: name, title: name, columns: columns, rows: rows)
    }
}
