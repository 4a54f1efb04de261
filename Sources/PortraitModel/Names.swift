import Foundation

/// Comparison keys for names and headers: case, accents, spaces and punctuation ignored.
public enum Names {
    /// "Sainte-Anne-des-Monts" and "SAINTE ANNE DES MONTS" → "sainte_anne_des_monts".
    public static func key(_ s: String) -> String {
        s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "fr_CA"))
            .lowercased()
            .map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
            .split(separator: "_").joined(separator: "_")
    }

    /// "Sainte-Marguerite-Marie, Municipalité (MÉ)" → "sainte_marguerite_marie": the name before the first comma.
    public static func municipalKey(_ name: String) -> String {
        key(String(name.split(separator: ",", maxSplits: 1).first ?? Substring(name)))
    }
}
