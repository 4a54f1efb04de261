import Foundation

/// The bearer tokens that open the write route, each with a label saying who holds it.
/// `PORTRAIT_TOKEN` holds one token (labelled "jeton") or several as `label=token,label=token`.
public struct WriteTokens: Sendable {
    var tokens: [(label: String, secret: [UInt8])] = []

    public init() {}

    public var isEmpty: Bool { tokens.isEmpty }

    /// Tokens from the variable's value; blanks ignored.
    public static func parse(_ value: String?) -> WriteTokens {
        var t = WriteTokens()
        for item in (value ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty {
                t.tokens.append((parts[0], Array(parts[1].utf8)))
            } else {
                t.tokens.append(("jeton", Array(item.utf8)))
            }
        }
        return t
    }

    /// The label of the token in an `Authorization: Bearer …` value, or nil. Every token is compared in
    /// full, in time independent of where the bytes differ.
    func label(authorization: String?) -> String? {
        guard let a = authorization, a.lowercased().hasPrefix("bearer ") else { return nil }
        let given = Array(a.dropFirst(7).trimmingCharacters(in: .whitespaces).utf8)
        var found: String?
        for t in tokens {
            var diff = UInt8(given.count == t.secret.count ? 0 : 1)
            for i in 0..<t.secret.count { diff |= t.secret[i] ^ (i < given.count ? given[i] : 0) }
            if diff == 0 { found = t.label }
        }
        return found
    }
}
