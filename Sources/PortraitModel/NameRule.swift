/// The rules a name given by a user must follow, checked once at the edge of every import (CLI and HTTP alike,
/// `NameRule.check…` at the start of each importer), before any file is read or any statement is written. A name
/// outside its rule is refused with the rule in words; the store quotes every name besides (`SQLDialect.identifier`).
public enum NameRule {
    /// What a refused name breaks.
    public struct Violation: PortraitError, Sendable {
        public var message: String
        public var kind: ErrorKind { .invalidInput }
        public var description: String { message }
    }

    /// Names Portrait keeps as its own (an indicator, a service category, a plan): a lower-case ASCII letter, then up
    /// to 62 lower-case ASCII letters, digits or `_` (`population`, `revenu_median_menage`, `clsc`). They become
    /// columns and tables in the store and in QGIS's layers.
    public static let identifierRule = "une lettre minuscule sans accent, puis jusqu'à 62 lettres minuscules sans accent, chiffres ou _ (ex. revenu_median_menage)"

    /// Names of a user's file (a column, a layer): up to 200 characters, any letter, digit, space or punctuation a
    /// published file uses (accents, parentheses, %, /, ., -, ', ,), but no double quote, backquote, semicolon,
    /// backslash or control character.
    public static let fieldRule = "jusqu'à 200 caractères, sans guillemet droit (\"), accent grave (`), point-virgule, barre oblique inverse ni caractère de contrôle"

    /// Labels shown beside figures (a unit): up to 40 characters, no markup or quote characters (`<`, `>`, `"`, `` ` ``, `;`, `\`) and no control character.
    public static let labelRule = "jusqu'à 40 caractères, sans <, >, guillemet droit (\"), accent grave (`), point-virgule, barre oblique inverse ni caractère de contrôle"

    public static func isIdentifier(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard (1...63).contains(u.count), (97...122).contains(u[0]) else { return false }
        return u.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 }
    }

    public static func isField(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 200 && !s.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || "\"`;\\".unicodeScalars.contains($0) }
    }

    public static func isLabel(_ s: String) -> Bool {
        s.count <= 40 && !s.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || "<>\"`;\\".unicodeScalars.contains($0) }
    }

    /// Free text kept as given and escaped wherever it is shown (a source's citation): no control character, 500 characters at most.
    public static func isText(_ s: String) -> Bool {
        s.count <= 500 && !s.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }
    }

    static func shown(_ s: String) -> String { Escape.plain(s, limit: 60) }

    public static func checkIdentifier(_ s: String, option: String) throws(Violation) {
        guard isIdentifier(s) else { throw Violation(message: "\(option) « \(shown(s)) » refusé : \(identifierRule)") }
    }

    public static func checkField(_ s: String, option: String) throws(Violation) {
        guard isField(s) else { throw Violation(message: "\(option) « \(shown(s)) » refusé : \(fieldRule)") }
    }

    public static func checkLabel(_ s: String, option: String) throws(Violation) {
        guard isLabel(s) else { throw Violation(message: "\(option) « \(shown(s)) » refusé : \(labelRule)") }
    }

    public static func checkText(_ s: String, option: String) throws(Violation) {
        guard isText(s) else { throw Violation(message: "\(option) refusé : 500 caractères au plus, sans caractère de contrôle") }
    }

    /// `ROLE=FIELD` pairs (`--field code=MUS_CO_GEO`, `--value-field population=mpopul`): the role an identifier, the field a file's name.
    public static func checkPair(_ spec: String, option: String) throws(Violation) {
        let parts = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        if parts.count == 2 {
            try checkIdentifier(parts[0], option: option + " (avant =)")
            try checkField(parts[1], option: option + " (après =)")
        } else {
            try checkField(spec, option: option)
        }
    }
}
