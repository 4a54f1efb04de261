import Foundation
import PortraitModel
import PostgresNIO

/// Keeps a database's change stamp in memory, so that every request can ask for it without a query (and
/// without blocking, which an event loop must not do). One connection per process `LISTEN`s on
/// `portrait_changed`; every committed write sends the new stamp there (`pg_notify`), from whichever server
/// made it. When that connection drops, the stamp is unknown and asking for it is `unavailable` (503) until
/// the watcher is connected again (it retries every half second, the table read once more on reconnection).
final class PostgresStampWatcher: @unchecked Sendable {
    enum State { case connecting, up(String), down(StoreError) }

    static let channel = "portrait_changed"
    let location: PostgresLocation
    private let lock = NSCondition()
    private var state: State = .connecting

    init(location: PostgresLocation) { self.location = location }

    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var registry: [PostgresLocation: PostgresStampWatcher] = [:]
    /// The same watchers by the URL as written, so that a request finds its stamp without parsing the URL.
    nonisolated(unsafe) private static var byURL: [String: PostgresStampWatcher] = [:]

    /// The watcher of the database `url` names, if one runs in this process (no URL parsing).
    static func existing(url: String) -> PostgresStampWatcher? {
        registryLock.lock(); defer { registryLock.unlock() }
        return byURL[url]
    }

    /// The watcher of `location`, if `start` made one in this process.
    static func existing(_ location: PostgresLocation) -> PostgresStampWatcher? {
        registryLock.lock(); defer { registryLock.unlock() }
        return registry[location]
    }

    /// The watcher of `location`, started on first use; waits up to `wait` seconds for its first answer.
    @discardableResult
    static func start(_ location: PostgresLocation, url: String? = nil, wait: TimeInterval = 5) -> PostgresStampWatcher {
        registryLock.lock()
        let w: PostgresStampWatcher
        var fresh = false
        if let known = registry[location] { w = known } else { w = PostgresStampWatcher(location: location); registry[location] = w; fresh = true }
        if let url { byURL[url] = w }
        registryLock.unlock()
        if fresh { DispatchQueue.global().async { w.connect() } }
        w.waitForAnswer(wait)
        return w
    }

    private func waitForAnswer(_ seconds: TimeInterval) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        lock.lock(); defer { lock.unlock() }
        while case .connecting = state { if !lock.wait(until: deadline) { break } }
    }

    /// The stamp now: "pg:INSTANCE:COUNTER", or the reason it is unknown.
    func stamp() throws(StoreError) -> String {
        lock.lock(); defer { lock.unlock() }
        switch state {
        case .up(let s): return s
        case .down(let e): throw e
        case .connecting:
            throw StoreError(path: location.description, function: "connexion", message: "connexion à la base en cours",
                             kind: .unavailable, library: "PostgreSQL")
        }
    }

    /// A stamp this process has just committed: known at once here, without waiting for the notification.
    func advance(to stamp: String) { set(.up(stamp), onlyIfNewer: true) }

    private func set(_ new: State, onlyIfNewer: Bool = false) {
        lock.lock(); defer { lock.unlock() }
        if onlyIfNewer, case .up(let old) = state, case .up(let s) = new, Self.counter(old) >= Self.counter(s),
           Self.instance(old) == Self.instance(s) { return }
        state = new
        lock.broadcast()
    }

    static func counter(_ stamp: String) -> Int64 { Int64(stamp.split(separator: ":").last ?? "") ?? -1 }
    static func instance(_ stamp: String) -> Substring { stamp.split(separator: ":").dropLast().last ?? "" }

    /// Connects, listens, reads the current stamp; on any loss, marks the stamp unknown and tries again.
    /// A database without Portrait's tables yet is "missing" until the first import's notification.
    private func connect() {
        let session: PostgresSession
        do {
            session = try PostgresSession.connect(location, id: -1, timeout: 2)
        } catch {
            set(.down(error)); retry(); return
        }
        session.connection.addListener(channel: Self.channel) { [weak self] _, note in
            self?.set(.up(note.payload), onlyIfNewer: true)
        }
        session.connection.closeFuture.whenComplete { [weak self] _ in
            guard let self else { return }
            self.set(.down(StoreError(path: self.location.description, function: "connexion",
                                      message: "connexion à la base perdue", kind: .unavailable, library: "PostgreSQL")))
            self.retry()
        }
        lock.lock(); held = session; lock.unlock()
        do {
            // LISTEN before the read: a write committed in between is then seen either way.
            try session.run("LISTEN \(Self.channel)")
            set(.up(try PostGISStore.readStamp(session)))
        } catch {
            set(.down(error))
            if error.kind == .unavailable, error.function != "open" { session.close() }  // closeFuture retries
        }
    }

    /// The listening connection, kept for the process's life.
    private var held: PostgresSession?

    private func retry() {
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { [weak self] in self?.connect() }
    }
}
