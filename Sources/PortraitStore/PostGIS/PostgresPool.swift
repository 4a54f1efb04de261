import Foundation
import PortraitModel

/// A bounded pool of connections to one database, shared by every store of the process that names it.
/// At most `limit` connections are open (`PORTRAIT_PG_POOL`, 10 by default); a store waits for one at most
/// `leaseTimeout` seconds, then the request is `unavailable` (503) rather than queued without end.
/// Connections that failed are dropped, so a database that went away and came back is reached again.
final class PostgresPool: @unchecked Sendable {
    let location: PostgresLocation
    let limit: Int
    let leaseTimeout: TimeInterval
    private let condition = NSCondition()
    private var idle: [PostgresSession] = []
    private var open = 0
    private var nextID = 0

    init(location: PostgresLocation, limit: Int, leaseTimeout: TimeInterval = 10) {
        self.location = location; self.limit = max(1, limit); self.leaseTimeout = leaseTimeout
    }

    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var registry: [PostgresLocation: PostgresPool] = [:]

    /// The process's pool for `location`.
    static func shared(_ location: PostgresLocation) -> PostgresPool {
        registryLock.lock(); defer { registryLock.unlock() }
        if let p = registry[location] { return p }
        let limit = ProcessInfo.processInfo.environment["PORTRAIT_PG_POOL"].flatMap(Int.init) ?? 10
        let p = PostgresPool(location: location, limit: limit)
        registry[location] = p
        return p
    }

    /// An idle connection, a new one while fewer than `limit` are open, else waits for one to come back.
    func lease() throws(StoreError) -> PostgresSession {
        let deadline = Date(timeIntervalSinceNow: leaseTimeout)
        condition.lock()
        while true {
            while let s = idle.popLast() {
                if s.isUsable { condition.unlock(); return s }
                open -= 1
                s.close()
            }
            if open < limit {
                open += 1; nextID += 1
                let id = nextID
                condition.unlock()
                do {
                    return try PostgresSession.connect(location, id: id)
                } catch {
                    condition.lock(); open -= 1; condition.signal(); condition.unlock()
                    throw error
                }
            }
            if !condition.wait(until: deadline) {
                condition.unlock()
                throw StoreError(path: location.description, function: "pool",
                                 message: "les \(limit) connexions à la base sont toutes occupées depuis \(Int(leaseTimeout)) s (PORTRAIT_PG_POOL)",
                                 kind: .unavailable, library: "PostgreSQL")
            }
        }
    }

    /// Gives a connection back; a broken one is closed and its place freed.
    func release(_ s: PostgresSession) {
        condition.lock()
        if s.isUsable { idle.append(s) } else { open -= 1; s.close() }
        condition.signal()
        condition.unlock()
    }

    /// Connections open now (leased and idle): for `/health` and the tests.
    var openCount: Int { condition.lock(); defer { condition.unlock() }; return open }
}
