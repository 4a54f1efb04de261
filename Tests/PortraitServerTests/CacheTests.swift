import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PortraitDemo
import PortraitImport
import PortraitModel
@testable import PortraitServer
import PortraitStore
import PortraitTestSupport
import Synchronization
import Testing

/// Answers cached by store state: ETag and 304, hits and misses, dropped when an import commits.
@Suite(.serialized) struct CacheTests {
    /// A store of its own (an import happens here).
    static func app(cacheBytes: Int = 64 << 20) throws -> (some ApplicationProtocol, String) {
        let dir = tempDir("portrait-cache")
        let s = dir + "/demo.gpkg"
        _ = try DemoTerritory.load(storePath: s)
        var o = ServerOptions(host: "127.0.0.1", port: 0, storePath: s, stylesDirectory: root + "/styles", webDirectory: root + "/web",
                              logLevel: .warning)
        o.cacheBytes = cacheBytes
        return (buildApplication(o), s)
    }

    @Test func computedOnceThenServedFromMemoryThenRevalidated() async throws {
        let (app, store) = try Self.app()
        try await app.test(.router) { client in
            var first = ByteBuffer(), etag = ""
            for uri in ["/portrait/region/99?lang=fr&vintage=2021", "/geojson/municipalities?region=99", "/tiles/municipalities/6/20/21.mvt",
                        "/maps/region/99.svg?style=vitalite", "/indicators"] {
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == .ok && r.headers[.init("x-portrait-cache")!] == "miss", "\(uri)")
                    first = r.body
                    etag = r.headers[.eTag] ?? ""
                    #expect(etag.hasPrefix("\"") && r.headers[.cacheControl] == "no-cache")
                }
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.headers[.init("x-portrait-cache")!] == "hit" && r.body == first && r.headers[.eTag] == etag, "\(uri)")
                }
                try await client.execute(uri: uri, method: .get, headers: [.ifNoneMatch: etag]) { r in
                    #expect(r.status == .notModified && r.body.readableBytes == 0 && r.headers[.eTag] == etag, "\(uri)")
                }
            }
            // The same question in another order is the same answer.
            try await client.execute(uri: "/portrait/region/99?vintage=2021&lang=fr", method: .get) { r in
                #expect(r.headers[.init("x-portrait-cache")!] == "hit")
            }
            // /health counts them and says the bound.
            try await client.execute(uri: "/health", method: .get) { r in
                let cache = try #require((try json(r.body) as? [String: Any])?["cache"] as? [String: Any])
                #expect((cache["entries"] as? Int ?? 0) >= 5 && (cache["hits"] as? Int ?? 0) >= 6 && cache["limit_bytes"] as? Int == 64 << 20)
            }
            // An import commits (through its own connection, as another process would): every answer is recomputed, the ETag changes.
            var oldTag = ""
            try await client.execute(uri: "/indicators", method: .get) { r in oldTag = r.headers[.eTag] ?? "" }
            let dir = (store as NSString).deletingLastPathComponent
            try "code,chomage\n91005,7.5\n".write(toFile: dir + "/synthetique_chomage.csv", atomically: true, encoding: .utf8)
            _ = try IndicatorImporter.run(file: dir + "/synthetique_chomage.csv",
                                          options: .init(indicator: "chomage", vintage: 2021, valueFields: ["chomage"]), storePath: store)
            try await client.execute(uri: "/indicators", method: .get, headers: [.ifNoneMatch: oldTag]) { r in
                #expect(r.status == .ok && r.headers[.init("x-portrait-cache")!] == "miss" && r.headers[.eTag] != oldTag)
                #expect(String(buffer: r.body).contains("\"chomage\""))
            }
            try await client.execute(uri: "/health", method: .get) { r in
                let cache = try #require((try json(r.body) as? [String: Any])?["cache"] as? [String: Any])
                #expect((cache["invalidations"] as? Int ?? 0) >= 1)
            }
        }
    }

    @Test func errorsAreNeverCached() async throws {
        let (app, _) = try Self.app()
        try await app.test(.router) { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/portrait/region/42", method: .get) { r in
                    #expect(r.status == .notFound && r.headers[.eTag] == nil)
                }
            }
        }
    }

    /// The bound holds: the least recently used answers go.
    @Test func theCacheStaysWithinItsBound() {
        let c = ResponseCache(limitBytes: 10_000)
        #expect(c.get("k0", stamp: "s") == nil)     // the cache learns the store's state from a lookup
        for i in 0..<50 { c.put("k\(i)", stamp: "s", body: ByteBuffer(repeating: 1, count: 1_000), contentType: "x") }
        let before = c.stats.entries
        c.put("late", stamp: "older", body: ByteBuffer(), contentType: "x")   // computed under another state: not kept
        #expect(c.stats.entries == before)
        let s = c.stats
        #expect(s.bytes <= 10_000 && s.entries < 50 && s.evictions > 0)
        #expect(c.get("k49", stamp: "s") != nil && c.get("k0", stamp: "s") == nil)
        // A new state empties everything.
        #expect(c.get("k49", stamp: "t") == nil && c.stats.entries == 0 && c.stats.invalidations == 1)
    }

    /// Twenty requests for the same cold answer: computed once, the others wait and share it (the soak's cold
    /// first minute); a failure reaches every waiter and is not kept, so the next request computes again.
    @Test func concurrentMissesComputeOnce() async throws {
        let c = ResponseCache(limitBytes: 1 << 20)
        final class Runs: Sendable { let count = Atomic<Int>(0) }
        let runs = Runs()
        let outcomes = try await withThrowingTaskGroup(of: (ByteBuffer, ResponseCache.Outcome).self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await c.answer("/portrait/region/01", stamp: "s1", contentType: "x") {
                        runs.count.add(1, ordering: .relaxed)
                        try await Task.sleep(for: .milliseconds(300))
                        return ByteBuffer(string: "portrait")
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(runs.count.load(ordering: .relaxed) == 1)
        #expect(outcomes.allSatisfy { String(buffer: $0.0) == "portrait" })
        #expect(outcomes.filter { $0.1 == .miss }.count == 1)
        #expect(outcomes.filter { $0.1 == .shared }.count + outcomes.filter { $0.1 == .hit }.count == 19)
        #expect(c.stats.shared == outcomes.filter { $0.1 == .shared }.count && c.stats.entries == 1)

        struct Failed: Error {}
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    do {
                        _ = try await c.answer("/gaps", stamp: "s1", contentType: "x") {
                            try await Task.sleep(for: .milliseconds(200)); throw Failed()
                        }
                        return false
                    } catch { return error is Failed }
                }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(failures == 5 && c.stats.entries == 1)
        let (_, again) = try await c.answer("/gaps", stamp: "s1", contentType: "x") { ByteBuffer(string: "ok") }
        #expect(again == .miss)
    }
}
