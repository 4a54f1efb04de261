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
}
