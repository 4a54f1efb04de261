/// A request the territory domain cannot answer: an unknown territory,
/// indicator or category, a parameter out of range, data not yet imported.
public struct TerritoryError: PortraitError, Hashable, Sendable {
    public var kind: ErrorKind
    /// One line, French, naming what was asked and what is there.
    public var message: String

    public init(_ kind: ErrorKind, _ message: String) {
        self.kind = kind; self.message = message
    }

    public var description: String { message }

    public static func notFound(_ message: String) -> TerritoryError { .init(.notFound, message) }
    public static func invalid(_ message: String) -> TerritoryError { .init(.invalidInput, message) }
}
