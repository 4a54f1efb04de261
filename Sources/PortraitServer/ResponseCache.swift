import Foundation
import PortraitModel
import Hummingbird

/// Answers computed once per store state and parameters: portraits, gap lists, maps, GeoJSON, tiles.
/// Bounded in bytes; the least recently used entries go first. Every entry belongs to one store stamp:
/// when the stamp changes (an import committed, by this process or another), the whole cache is dropped.
/// A miss is computed once: requests for the same answer arriving while it is computed wait for it
/// (single flight) instead of computing it again, so a cold start under load does not multiply the work.
final class ResponseCache: Sendable {
    /// How an answer was obtained: from memory, computed for this request, or computed for another request
    /// that asked first and shared (`x-portrait-cache`).
    enum Outcome: String, Sendable { case hit, miss, shared }

    struct Entry: Sendable {
        var body: ByteBuffer
        var contentType: String
        var lastUse: UInt64
        var size: Int { body.readableBytes + 64 }
    }

    struct Stats: Encodable, Sendable {
        var entries: Int
        var bytes: Int
        var limitBytes: Int
        var hits: Int
        var misses: Int
        var evictions: Int
        /// Times the cache was emptied because the store changed.
        var invalidations: Int
        /// Misses answered by a computation already under way for another request.
        var shared: Int
        enum CodingKeys: String, CodingKey {
            case entries, bytes, limitBytes = "limit_bytes", hits, misses, evictions, invalidations, shared
        }
    }

    private struct State {
        var stamp = ""
        var entries: [String: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var hits = 0, misses = 0, evictions = 0, invalidations = 0, shared = 0
    }

    let limitBytes: Int
    private let state = Protected(State())
    /// Computations under way, by store stamp and key.
    private let flights = Protected<[String: Task<ByteBuffer, any Error>]>([:])

    init(limitBytes: Int) { self.limitBytes = max(0, limitBytes) }

    /// The entry for `key` made under `stamp`; a different stamp empties the cache first.
    func get(_ key: String, stamp: String) -> Entry? {
        state.withLock { s in
            if s.stamp != stamp { Self.reset(&s, stamp: stamp) }
            guard var e = s.entries[key] else { s.misses += 1; return nil }
            s.clock += 1
            e.lastUse = s.clock
            s.entries[key] = e
            s.hits += 1
            return e
        }
    }

    /// The answer for `key` under `stamp`: from memory, or from the computation already under way for the same
    /// key and stamp, or computed now by `compute` and kept. A failed computation is not kept; every request
    /// waiting on it gets its error.
    func answer(_ key: String, stamp: String, contentType: String,
                compute: @escaping @Sendable () async throws -> ByteBuffer) async throws -> (ByteBuffer, Outcome) {
        if let hit = get(key, stamp: stamp) { return (hit.body, .hit) }
        let flight = stamp + "|" + key
        let (task, first) = flights.withLock { f -> (Task<ByteBuffer, any Error>, Bool) in
            if let running = f[flight] { return (running, false) }
            let task = Task<ByteBuffer, any Error> {
                // Leaves the table when done, whatever the outcome (the insertion below happens under the same lock).
                defer { _ = flights.withLock { $0.removeValue(forKey: flight) } }
                let body = try await compute()
                put(key, stamp: stamp, body: body, contentType: contentType)
                return body
            }
            f[flight] = task
            return (task, true)
        }
        if !first { state.withLock { $0.shared += 1 } }
        return (try await task.value, first ? .miss : .shared)
    }

    /// Keeps `body` for `key` under `stamp` (unless the store changed meanwhile or the body alone is over the limit).
    func put(_ key: String, stamp: String, body: ByteBuffer, contentType: String) {
        state.withLock { s in
            if s.stamp != stamp { return }
            let entry = Entry(body: body, contentType: contentType, lastUse: s.clock + 1)
            guard entry.size <= limitBytes else { return }
            s.clock += 1
            if let old = s.entries[key] { s.bytes -= old.size }
            s.entries[key] = entry
            s.bytes += entry.size
            if s.bytes > limitBytes {
                // Least recently used first, down to 90 % of the limit.
                for (k, e) in s.entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
                    guard s.bytes > limitBytes * 9 / 10, k != key else { continue }
                    s.entries[k] = nil
                    s.bytes -= e.size
                    s.evictions += 1
                }
            }
        }
    }

    var stats: Stats {
        state.withLock { s in
            Stats(entries: s.entries.count, bytes: s.bytes, limitBytes: limitBytes, hits: s.hits, misses: s.misses,
                  evictions: s.evictions, invalidations: s.invalidations, shared: s.shared)
        }
    }

    private static func reset(_ s: inout State, stamp: String) {
        if !s.stamp.isEmpty { s.invalidations += 1 }
        s.stamp = stamp
        s.entries.removeAll(keepingCapacity: true)
        s.bytes = 0
    }
}
