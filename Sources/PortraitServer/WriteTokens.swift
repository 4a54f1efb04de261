import Foundation
import PortraitImport

/// The bearer tokens that open the write route, each with a label saying who holds it and, optionally, a scope.
/// `PORTRAIT_TOKEN` holds one token (labelled "jeton") or several as `label=token,label=token`. A token is limited by
/// `|`-separated options after its secret:
/// - `kinds=measurements+plan`: only those kinds of import;
/// - `plan=01-cosmoss`: only that plan's measurements;
/// - `territory=01-cosmoss-clc-10`: only the measurements of that local concertation.
///
/// e.g. `PORTRAIT_TOKEN='kamouraska=S3cr3t|kinds=measurements|plan=01-cosmoss|territory=01-cosmoss-clc-14'`.
public struct WriteTokens: Sendable {
    /// What a token may write: nil for no limit.
    public struct Scope: Sendable, Hashable, CustomStringConvertible {
        public var kinds: Set<ImportRequest.Kind>?
        public var plan: String?
        public var territory: String?
        public init(kinds: Set<ImportRequest.Kind>? = nil, plan: String? = nil, territory: String? = nil) {
            self.kinds = kinds; self.plan = plan; self.territory = territory
        }
        public var isUnlimited: Bool { kinds == nil && plan == nil && territory == nil }
        /// The scope in words, for a 403.
        public var description: String {
            [kinds.map { "types " + $0.map(\.rawValue).sorted().joined(separator: "+") }, plan.map { "plan \($0)" }, territory.map { "territoire \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
        }
    }

    struct Token: Sendable { var label: String; var secret: [UInt8]; var scope: Scope }
    var tokens: [Token] = []

    public init() {}

    public var isEmpty: Bool { tokens.isEmpty }

    /// The kinds of import some token can write (the kinds `/openapi.json` lists).
    public var writableKinds: [ImportRequest.Kind] {
        ImportRequest.Kind.allCases.filter { k in tokens.contains { $0.scope.kinds?.contains(k) ?? true } }
    }

    /// A token's options as written after its secret; a mistake here is the operator's, said at start.
    public struct ParseError: Error, CustomStringConvertible { public var description: String }

    /// Tokens from the variable's value; blanks ignored. A scope option unknown or malformed is an error (a token
    /// meant to be limited must never end up unlimited).
    public static func parse(_ value: String?) throws(ParseError) -> WriteTokens {
        var t = WriteTokens()
        for item in (value ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let pieces = item.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let parts = pieces[0].split(separator: "=", maxSplits: 1).map(String.init)
            let (label, secret) = parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty ? (parts[0], parts[1]) : ("jeton", pieces[0])
            var scope = Scope()
            for option in pieces.dropFirst() {
                let kv = option.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, !kv[1].isEmpty else { throw ParseError(description: "PORTRAIT_TOKEN, jeton « \(label) » : option « \(option) » : la forme attendue est nom=valeur") }
                switch kv[0] {
                case "kinds":
                    var kinds = Set<ImportRequest.Kind>()
                    for k in kv[1].split(separator: "+") {
                        guard let kind = ImportRequest.Kind(rawValue: String(k)) else {
                            throw ParseError(description: "PORTRAIT_TOKEN, jeton « \(label) » : type « \(k) » inconnu ; types : \(ImportRequest.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                        }
                        kinds.insert(kind)
                    }
                    scope.kinds = kinds
                case "plan": scope.plan = kv[1]
                case "territory", "territoire": scope.territory = kv[1]
                default: throw ParseError(description: "PORTRAIT_TOKEN, jeton « \(label) » : option « \(kv[0]) » inconnue ; options : kinds, plan, territory")
                }
            }
            // A token limited to a plan or a territory writes measurements only, whatever else it names.
            if scope.plan != nil || scope.territory != nil { scope.kinds = (scope.kinds ?? [.measurements]).intersection([.measurements]) }
            t.tokens.append(Token(label: label, secret: Array(secret.utf8), scope: scope))
        }
        return t
    }

    /// The label and scope of the token in an `Authorization: Bearer …` value, or nil. Every token is compared in
    /// full, in time independent of where the bytes differ.
    func token(authorization: String?) -> (label: String, scope: Scope)? {
        guard let a = authorization, a.lowercased().hasPrefix("bearer ") else { return nil }
        let given = Array(a.dropFirst(7).trimmingCharacters(in: .whitespaces).utf8)
        var found: (String, Scope)?
        for t in tokens {
            var diff = UInt8(given.count == t.secret.count ? 0 : 1)
            for i in 0..<t.secret.count { diff |= t.secret[i] ^ (i < given.count ? given[i] : 0) }
            if diff == 0 { found = (t.label, t.scope) }
        }
        return found
    }

    /// The label alone.
    func label(authorization: String?) -> String? { token(authorization: authorization)?.label }
}
