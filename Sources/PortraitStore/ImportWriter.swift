import Foundation
import PortraitModel

/// Who is writing: recorded as `writer` in the parameters of every imports-log entry made while `with`
/// runs on this thread (the HTTP write route names the token and the client; the CLI writes none).
public enum ImportWriter {
    private static let key = "portrait.import.writer"
    private static let sourceKey = "portrait.import.source"

    /// Runs `body` with `writer` as the current writer of this thread; `source`, when given, is the name the
    /// log records as the imported file (an upload's own name rather than the server's temporary copy).
    public static func with<R>(_ writer: String, source: String? = nil, _ body: () throws -> R) rethrows -> R {
        let dict = Thread.current.threadDictionary
        let previous = dict[key], previousSource = dict[sourceKey]
        dict[key] = writer
        dict[sourceKey] = source
        defer { dict[key] = previous; dict[sourceKey] = previousSource }
        return try body()
    }

    /// The file name to record: the current upload's, else `file` as given.
    public static func sourceFile(_ file: String?) -> String? { (Thread.current.threadDictionary[sourceKey] as? String) ?? file }

    /// Derived state written inside every import's own transaction, once, after all its writes (the store runs it
    /// before committing a transaction that logged an import): the layer and styles GIS clients read (`GISLayers`,
    /// registered by the CLI and the server). One transaction, so that a store is never left with data and derived
    /// layers that disagree.
    private static let derivation = Protected<(@Sendable (any TerritoryStore) throws -> Void)?>(nil)

    public static func deriving(_ derive: (@Sendable (any TerritoryStore) throws -> Void)?) { derivation.withLock { $0 = derive } }

    static func derive(_ store: any TerritoryStore) throws {
        guard let d = derivation.withLock({ $0 }) else { return }
        try d(store)
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
