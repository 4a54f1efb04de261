import Foundation
import PortraitModel

/// ISQ vitality-index files as published: several vintages in one file, either as columns of one sheet
/// ("IVE 2016", "Rang 2016", "Quintile 2016", "IVE 2018"…) or as one sheet per vintage ("2016", "IVE 2018"),
/// ranks and quintiles beside the index. Finds, for each year, the index column and the quintile column; ranks
/// are recognised and left out (a rank depends on the localities ranked, not on the locality).
enum VintageColumns {
    struct Year: Sendable, Hashable {
        var year: Int
        var index: String
        var quintile: String?
        var rank: String?
    }

    /// The 4-digit year (1990…2099) a header or sheet name carries, if exactly one.
    static func year(in text: String) -> Int? {
        let digits = text.split { !$0.isNumber }.compactMap { Int($0) }.filter { (1990...2099).contains($0) }
        return digits.count == 1 ? digits[0] : nil
    }

    /// Year columns of a header row; empty when there is at most one year (a single-vintage table).
    static func detect(_ fields: [String]) -> [Year] {
        var byYear: [Int: Year] = [:]
        var quintiles: [Int: String] = [:], ranks: [Int: String] = [:]
        for f in fields {
            guard let y = year(in: f) else { continue }
            let words = Names.key(f.replacingOccurrences(of: String(y), with: ""))
            if words.contains("rang") || words.contains("rank") { ranks[y] = f; continue }
            if words.contains("quintile") { quintiles[y] = f; continue }
            let isIndex = words.isEmpty || ["ive", "indice", "vitalite", "index"].contains { words.contains($0) }
            if isIndex, byYear[y] == nil { byYear[y] = Year(year: y, index: f) }
        }
        guard byYear.count > 1 || (byYear.count == 1 && (quintiles.count + ranks.count) > 0) else { return [] }
        return byYear.keys.sorted().map { y in
            var c = byYear[y]!
            c.quintile = quintiles[y]
            c.rank = ranks[y]
            return c
        }
    }

    /// A single-vintage sheet's quintile column ("Quintile", "Quintile de vitalité"), beside the index.
    static func quintile(in fields: [String]) -> String? {
        fields.first { Names.key($0).contains("quintile") }
    }
}

