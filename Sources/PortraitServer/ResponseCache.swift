import Foundation
import Hummingbird
import Synchronization

/// Answers computed once per store state and parameters: portraits, gap lists, maps, GeoJSON, tiles.
/// Bounded in bytes; the least recently used entries go first. Every entry belongs to one store stamp:
/// when the stamp changes (an import committed, by this process or another), the whole cache is dropped.
final class ResponseCache: Sendable {
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
        enum CodingKeys: String, CodingKey {
            case entries, bytes, limitBytes = "limit_bytes", hits, misses, evictions, invalidations
        }
    }

    private struct State {
        var stamp = ""
        var entries: [String: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var hits = 0, misses = 0, evictions = 0, invalidations = 0
    }

    let limitBytes: Int
    private let state = Mutex(State())

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
                  evictions: s.evictions, invalidations: s.invalidations)
        }
    }

    private static func reset(_ s: inout State, stamp: String) {
        if !s.stamp.isEmpty { s.invalidations += 1 }
        s.stamp = stamp
        s.entries.removeAll(keepingCapacity: true)
        s.bytes = 0
    }
}
