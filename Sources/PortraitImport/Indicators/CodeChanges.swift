import Foundation
import PortraitModel

extension CodeChanges {
    /// Reads an `old_code,new_code` table through GDAL (CSV or XLSX).
    public static func read(path: String) throws -> CodeChanges {
        let layer: SourceLayer
        do { layer = try VectorSource.read(path: path, openOptions: ["AUTODETECT_TYPE=NO", "FIELD_TYPES=STRING"], drivers: .tables) } catch let e as SourceError {
            throw ImportError(.fileNotFound, file: path, e.description)
        }
        let oldField = layer.fields.first { ["old_code", "ancien_code", "code_ancien"].contains(Header.key($0)) }
        let newField = layer.fields.first { ["new_code", "nouveau_code", "code_nouveau"].contains(Header.key($0)) }
        guard let oldField, let newField else {
            throw ImportError(.unknownField, file: path, "colonnes old_code et new_code attendues ; colonnes présentes : \(layer.fields.joined(separator: ", "))")
        }
        var map: [String: String] = [:]
        for f in layer.features {
            let row = "ligne \(f.index + 2)"
            guard let o = f.attributes[oldField]?.text, let n = f.attributes[newField]?.text,
                  let old = try? Codes.municipal(o), let new = try? Codes.municipal(n) else {
                throw ImportError(.nonNumericCode, file: path, location: row, "colonnes \(oldField)/\(newField) : deux codes municipaux numériques attendus")
            }
            map[old] = new
        }
        return CodeChanges(map)
    }
}

/// Header matching that ignores case, accents, spaces and punctuation.
enum Header {
    static func key(_ s: String) -> String { Names.key(s) }

    /// The first field whose key equals one of `candidates`' keys, else the first containing one.
    static func find(_ candidates: [String], in fields: [String]) -> String? {
        let keys = candidates.map(key)
        if let exact = fields.first(where: { keys.contains(key($0)) }) { return exact }
        return fields.first { f in keys.contains { key(f).contains($0) } }
    }
}
