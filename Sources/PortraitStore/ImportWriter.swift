import Foundation

/// Who is writing: recorded as `writer` in the parameters of every imports-log entry made while `with`
/// runs on this thread (the HTTP write route names the token and the client; the CLI writes none).
public enum ImportWriter {
    private static let key = "portrait.import.writer"

    /// Runs `body` with `writer` as the current writer of this thread.
    public static func with<R>(_ writer: String, _ body: () throws -> R) rethrows -> R {
        let dict = Thread.current.threadDictionary
        let previous = dict[key]
        dict[key] = writer
        defer { dict[key] = previous }
        return try body()
    }

    /// The current thread's writer, if any.
    static var current: String? { Thread.current.threadDictionary[key] as? String }

    /// `parameters` with the current writer added.
    static func stamped(_ parameters: [String: String]) -> [String: String] {
        guard let w = current else { return parameters }
        var p = parameters
        p["writer"] = w
        return p
    }
}
