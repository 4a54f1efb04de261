import Foundation
import PortraitModel

/// Old municipal codes that now belong to another municipality (mergers).
/// Values filed under an old code are carried onto the new one: counts are
/// summed, rates and indices population-weighted.
///
/// Such tables come from the Institut de la statistique du Québec and the
/// MAMH *Répertoire des municipalités* (geographic-code change files, listing
/// each merger, annexation and change of code with its date). A CSV with the
/// columns `old_code,new_code` (or `ancien_code,nouveau_code`) is read with
/// `--code-changes FILE`.
public struct CodeChanges: Sendable, Hashable {
    public var map: [String: String]

    public init(_ map: [String: String]) { self.map = map }

    /// Changes known to the project, each with its source:
    /// - 11020 Saint-Guy and 13060 Lac-des-Aigles → 13062 Lac-des-Aigles;
    /// - 14080 Saint-Onésime-d'Ixworth, 14085 La Pocatière and 14090
    ///   Sainte-Anne-de-la-Pocatière → 14082 La Pocatière
    ///   (codes of the 2021 census absent from the current SDA boundaries;
    ///   MAMH Répertoire des municipalités).
    public static let builtIn = CodeChanges([
        "11020": "13062", "13060": "13062",
        "14080": "14082", "14085": "14082", "14090": "14082",
    ])

    public static let none = CodeChanges([:])

    public func current(_ code: String) -> String { map[code] ?? code }

    /// Reads an `old_code,new_code` table through GDAL (CSV or XLSX).
    public static func read(path: String) throws -> CodeChanges {
        let layer: SourceLayer
        do { layer = try VectorSource.read(path: path, openOptions: ["AUTODETECT_TYPE=NO", "FIELD_TYPES=STRING"]) } catch let e as SourceError {
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
