import Foundation
import PortraitModel

/// A value cell checked against what its indicator is: a count is a whole (unless it is a measure such as an
/// area in km²), non-negative number that a double
/// holds exactly; a share stays within 0–100 (unit %) or 0–1 (unit proportion); a quintile within 1–5; a
/// percent sign only where the unit is a percentage. Nothing out of its kind is stored.
enum ValueCheck {
    /// Units that read as a share of 1.
    static let proportionUnits: Set<String> = ["proportion", "part", "0-1", "ratio"]

    static func cell(_ text: String?, column: String, definition d: IndicatorDefinition, emptyIsSuppressed: Bool,
                     file: String, location: String) throws -> CellValue {
        let shown = text ?? ""
        func refuse(_ why: String) -> ImportError {
            ImportError(.missingValue, file: file, location: location, "colonne \(column) : « \(shown) » \(why)")
        }
        guard let v = CellValue.parse(text, emptyIsSuppressed: emptyIsSuppressed) else {
            if let t = text, let magnitude = Self.magnitudeProblem(t) { throw refuse(magnitude) }
            throw refuse("n'est pas un nombre (ni x, .., F pour une valeur confidentielle)")
        }
        guard case .value(let x) = v else { return v }
        let percent = CellValue.isPercent(text)
        switch d.kind {
        case .count:
            if percent { throw refuse("est un pourcentage ; \(d.name) est un effectif (des personnes ou des choses)") }
            if x < 0 { throw refuse("effectif négatif ; \(d.name) compte des personnes ou des choses") }
            if x > 9_007_199_254_740_992 { throw refuse("effectif trop grand pour être exact (plus de 2⁵³)") }
            if !d.isMeasure, abs(x - x.rounded()) > 1e-6 { throw refuse("n'est pas un nombre entier ; \(d.name) est un effectif") }
        case .quintile:
            if percent { throw refuse("est un pourcentage ; \(d.name) est un quintile (1 à 5)") }
            if !(1...5).contains(x) { throw refuse("hors de 1 à 5 ; \(d.name) est un quintile") }
        case .index:
            if percent { throw refuse("est un pourcentage ; \(d.name) est un indice") }
        case .rate:
            if d.unit == "%" {
                if !(0...100).contains(x) { throw refuse("hors de 0 à 100 ; \(d.name) est une part en %") }
            } else if proportionUnits.contains(d.unit.lowercased()) {
                if percent { throw refuse("est un pourcentage ; \(d.name) est une proportion (0 à 1)") }
                if !(0...1).contains(x) { throw refuse("hors de 0 à 1 ; \(d.name) est une proportion") }
            } else if percent && !d.unit.isEmpty {
                throw refuse("est un pourcentage ; l'unité de \(d.name) est « \(d.unit) »")
            }
        }
        return v
    }

    /// Why a numeric-looking cell was not read: too large or too small for a double.
    static func magnitudeProblem(_ text: String) -> String? {
        let t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        guard let d = Double(t) else { return nil }
        if !d.isFinite { return "dépasse les nombres représentables" }
        if d == 0 || abs(d) < Double.leastNormalMagnitude { return "trop petit pour être représenté exactement (jamais enregistré comme 0)" }
        return nil
    }
}
