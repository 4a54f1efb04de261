/// The five kinds of failure Portrait knows. Every error type of every
/// subsystem declares its kind once; the HTTP service maps kinds to statuses
/// and the CLI to exit codes, each in one place, never from message text.
public enum ErrorKind: String, Sendable, CaseIterable, Codable {
    /// The territory, indicator, category, style or layer asked for is not there.
    case notFound = "introuvable"
    /// The request or the file is wrong: a bad code, a missing column, a malformed value.
    case invalidInput = "requete_invalide"
    /// A write the request's credentials do not cover (a token limited to other kinds, another plan, other territories).
    case forbidden = "interdit"
    /// The store (or another resource) cannot be reached now: absent, locked, read-only, full.
    case unavailable = "indisponible"
    /// A failure of Portrait or of a C library; the library's own message is kept.
    case `internal` = "erreur_interne"
}

/// An error that knows its kind and says what went wrong in one line a planner understands.
public protocol PortraitError: Error, CustomStringConvertible {
    var kind: ErrorKind { get }
}

extension ErrorKind {
    /// The kind of any error: its own when it declares one, `internal` otherwise.
    public static func of(_ error: any Error) -> ErrorKind {
        (error as? any PortraitError)?.kind ?? .internal
    }
}
