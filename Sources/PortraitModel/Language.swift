/// Output language: French first, English available.
public enum Language: String, CaseIterable, Sendable, Codable {
    case fr, en
}

/// One phrase in both languages: the per-language tables of the renderer,
/// the portrait and `info` are made of these.
public struct Phrase: Sendable, Hashable {
    public let fr: String
    public let en: String

    public init(_ fr: String, _ en: String) { self.fr = fr; self.en = en }

    public func callAsFunction(_ language: Language) -> String { language == .fr ? fr : en }

    /// `n` municipal units of which `m` are municipalities: « 5 municipalités », or « 7 unités (5 municipalités, 2 TNO
    /// ou réserves) » when they differ (a gap map's legend counts units, a sentence says how many are municipalities).
    public static func units(_ n: Int, municipalities m: Int) -> Phrase {
        Phrase(n == m ? "\(n) municipalité\(n > 1 ? "s" : "")"
                      : "\(n) unité\(n > 1 ? "s" : "") (\(m) municipalité\(m > 1 ? "s" : ""), \(n - m) TNO ou réserve\(n - m > 1 ? "s" : ""))",
               n == m ? "\(n) municipalit\(n > 1 ? "ies" : "y")"
                      : "\(n) unit\(n > 1 ? "s" : "") (\(m) municipalit\(m > 1 ? "ies" : "y"), \(n - m) TNO or reserve\(n - m > 1 ? "s" : ""))")
    }
}
