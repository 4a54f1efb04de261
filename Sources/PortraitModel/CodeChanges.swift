import Foundation

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
}

extension CodeChanges {
    /// The current code's former codes (those carried onto it).
    public func former(_ code: String) -> [String] { map.filter { $0.value == code }.keys.sorted() }
}
