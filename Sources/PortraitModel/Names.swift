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

extension String {
    /// The text without the spaces around it (spaces, tabs, no-break and other Unicode space separators, and line
    /// breaks), as `trimmingCharacters(in: .whitespacesAndNewlines)` but without Foundation's cost on every cell of a
    /// large table: a cell that starts and ends with a visible ASCII character is returned as it is.
    public func trimmingSpaces() -> String {
        let u = utf8
        if let f = u.first, let l = u.last, f > 0x20, f < 0x80, l > 0x20, l < 0x80 { return self }
        let scalars = unicodeScalars
        func isSpace(_ s: Unicode.Scalar) -> Bool {
            s.value == 0x20 || s.value == 0x09 || s.value == 0x0A || s.value == 0x0D || s.value == 0x0B || s.value == 0x0C
                || (s.value >= 0x80 && (s.properties.generalCategory == .spaceSeparator || s.value == 0x85 || s.value == 0x2028 || s.value == 0x2029))
        }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !isSpace($0) })!
        return String(scalars[start...end])
    }

    /// True when the text holds nothing but spaces (see `trimmingSpaces`).
    public var isBlank: Bool {
        for b in utf8 where b > 0x20 { if b < 0x80 { return false }; return trimmingSpaces().isEmpty }
        return true
    }
}

extension Names {
    /// Levenshtein distance, a transposition counted once (« regoin » is one step from « region »): how far a
    /// mistyped option, command or territory name is from what exists.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
