import Foundation
import PortraitGeometry
import PortraitModel
@testable import PortraitStore
import PortraitTestSupport
import Testing

func square(_ x: Double, _ y: Double, _ s: Double = 0.1) -> MultiPolygon {
    MultiPolygon([Polygon(exterior: [Position(x, y), Position(x + s, y), Position(x + s, y + s), Position(x, y + s), Position(x, y)])])
}

func unit(_ level: Level, _ code: String, _ x: Double, mrc: String? = nil) -> TerritorialUnit {
    TerritorialUnit(level: level, code: code, name: "Unité \(code)", mrcCode: mrc, regionCode: "01", areaKm2: 10, geometry: square(x, 48))
}

/// The PostGIS backend at the store level: URLs and failures, transactions, locks, the stamp, the copy.
struct PostGISLocationTests {
    @Test func urlsAndTheirMistakes() throws {
        let l = try PostgresLocation("postgresql://marie:secret@db.example:5433/portrait")
        #expect(l.host == "db.example" && l.port == 5433 && l.user == "marie" && l.password == "secret" && l.database == "portrait")
        #expect(l.description == "postgresql://marie@db.example:5433/portrait")   // never the password
        #expect(Stores.display("postgresql://marie:secret@db.example:5433/portrait") == "postgresql://marie@db.example:5433/portrait")
        #expect(Stores.isDatabase("postgres://a@b/c") && !Stores.isDatabase("geodata/portrait.gpkg"))
        for bad in ["postgresql://", "postgresql://host-without-db", "postgresql://h:5432/"] {
            #expect { try PostgresLocation(bad) } throws: { ErrorKind.of($0) == .invalidInput }
        }
    }

    /// Nothing listens on port 1: unavailable (503, exit 3), with the connection's own reason.
    @Test func unreachableDatabaseIsUnavailable() throws {
        let url = "postgresql://portrait@127.0.0.1:1/portrait"
        #expect { try Stores.open(url) } throws: { e in
            ErrorKind.of(e) == .unavailable && "\(e)".contains("PostgreSQL") && "\(e)".contains("127.0.0.1:1")
        }
        #expect(!Stores.exists(url))
        #expect { try Stores.changeStamp(url) } throws: { ErrorKind.of($0) == .unavailable }
    }

    @Test func copyFieldsAreEscaped() {
        #expect(PostgresSession.copyLine([.text("a\tb\\c\nd\re"), .null, .blob([0x01, 0xAB]), .int(-3), .double(0.5)])
                == "a\\tb\\\\c\\nd\\re\t\\N\t01AB\t-3\t0.5")
    }

    /// The envelope columns round outwards to single precision exactly as SQLite's R-tree does.
    @Test func envelopesRoundLikeTheRTree() {
        for v in [-68.123456789, 48.987654321, 0.1, -0.1, 1e-9, -179.99999999] {
            #expect(PostGISStore.floatDown(v) <= v && PostGISStore.floatUp(v) >= v)
            #expect(Double(Float(PostGISStore.floatDown(v))) == PostGISStore.floatDown(v))
        }
    }
}

@Suite(.enabled(if: TestPostgres.shouldRun, TestPostgres.skipReason))
struct PostGISStoreTests {
    @Test func emptyDatabaseIsMissingUntilTheFirstWrite() throws {
        let url = try TestPostgres.freshDatabase("vide")
        #expect(!Stores.exists(url))
        #expect { try Stores.open(url) } throws: { ErrorKind.of($0) == .unavailable && "\($0)".contains("aucun magasin") }
        try Stores.writing(to: url) { s in _ = try s.upsert(unit(.municipality, "10043", -68.5), importID: 1) }
        #expect(Stores.exists(url))
        let s = try Stores.open(url)
        let u = try #require(try s.unit(.municipality, code: "10043"))
        #expect(u.geometry == square(-68.5, 48) && u.regionCode == "01" && u.name == "Unité 10043")
        #expect(try s.units(.municipality, withGeometry: false).first?.geometry.polygons.isEmpty == true)
    }

    @Test func aFailedTransactionLeavesNothing() throws {
        let url = try TestPostgres.freshDatabase("tx")
        try Stores.writing(to: url) { s in _ = try s.upsert(unit(.municipality, "10043", -68.5), importID: 1) }
        let before = try Stores.changeStamp(url)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try Stores.writing(to: url) { s in
                _ = try s.upsert(unit(.municipality, "10045", -68.3), importID: 2)
                try s.replaceCoastline([LineString([Position(-68, 48), Position(-67, 48.5)])], source: "x", importID: 2)
                throw Boom()
            }
        }
        let s = try Stores.open(url)
        #expect(try s.count(.municipality) == 1 && s.coastlineCount() == 0)
        #expect(try Stores.changeStamp(url) == before)
        // Nested transactions are savepoints: an inner failure undoes the inner part only.
        try s.transaction {
            _ = try s.upsert(unit(.municipality, "10046", -68.1), importID: 3)
            _ = try? s.transaction { () throws -> Void in
                _ = try s.upsert(unit(.municipality, "10047", -67.9), importID: 3)
                throw Boom()
            }
        }
        #expect(try s.units(.municipality, withGeometry: false).map(\.code) == ["10043", "10046"])
        #expect(try Stores.changeStamp(url) != before)
    }

    /// Bulk rows (COPY) keep text with tabs, backslashes, accents and line breaks, NULLs and numbers.
    @Test func bulkRowsKeepEveryValue() throws {
        let url = try TestPostgres.freshDatabase("copy")
        let services = [
            Service(category: "clsc", name: "CLSC\tde la \"Mitis\"\\Mont-Joli\nannexe", address: nil, municipalityCode: "09077",
                    capacity: 12.5, source: "essai", vintage: 2024, position: Position(-68.19, 48.58)),
            Service(category: "clsc", name: "Point de service Sainte-Flavie", address: "rue Principale", municipalityCode: nil,
                    capacity: nil, source: "essai", vintage: nil, position: Position(-68.21, 48.61)),
        ]
        try Stores.writing(to: url) { s in _ = try s.replaceServices(category: "clsc", services, importID: 1) }
        let s = try Stores.open(url)
        #expect(try s.services(category: "clsc") == services)
        #expect(try s.services(intersecting: BBox(minX: -68.2, minY: 48.5, maxX: -68.18, maxY: 48.59)).map(\.value.name) == [services[0].name])
        #expect(try s.extent(.services) != nil)
    }

    /// Two imports of one layer run one after the other (advisory lock); an import of another layer does not wait.
    @Test func sameLayerWaitsOtherLayerDoesNot() throws {
        let url = try TestPostgres.freshDatabase("verrou")
        try Stores.writing(to: url) { s in _ = try s.upsert(unit(.municipality, "10043", -68.5), importID: 1) }
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let sameDone = DispatchSemaphore(value: 0), otherDone = DispatchSemaphore(value: 0)
        let errors = ErrorBox()
        // Threads of their own (not the shared pools, which a busy test run may have used up).
        Thread {
            do {
                try Stores.writing(to: url) { s in
                    _ = try s.upsert(unit(.municipality, "10045", -68.3), importID: 2)
                    holding.signal()
                    release.wait()
                }
            } catch { errors.add(error); holding.signal() }
        }.start()
        holding.wait()
        Thread {
            do { try Stores.writing(to: url) { s in _ = try s.upsert(unit(.municipality, "10046", -68.1), importID: 3) } } catch { errors.add(error) }
            sameDone.signal()
        }.start()
        Thread {
            do { try Stores.writing(to: url) { s in _ = try s.upsert(unit(.region, "01", -68.1), importID: 4) } } catch { errors.add(error) }
            otherDone.signal()
        }.start()
        // The other layer lands while the first import still holds its lock…
        #expect(otherDone.wait(timeout: .now() + 60) == .success, "\(errors.all)")
        // …the same layer waits for it: PostgreSQL shows one advisory lock not granted.
        var waiting = ""
        for _ in 0..<100 {
            waiting = try TestPostgres.psql(url, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            if waiting == "1" { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(waiting == "1")
        #expect(sameDone.wait(timeout: .now()) == .timedOut)
        release.signal()
        #expect(sameDone.wait(timeout: .now() + 60) == .success)
        #expect(errors.all.isEmpty, "\(errors.all)")
        #expect(try Stores.open(url).units(.municipality, withGeometry: false).map(\.code) == ["10043", "10045", "10046"])
    }

    /// Every committed write advances the stamp; a process watching the database sees another's write at once.
    @Test func stampFollowsCommitsFromMemory() throws {
        let url = try TestPostgres.freshDatabase("tampon")
        try Stores.writing(to: url) { s in _ = try s.upsert(unit(.municipality, "10043", -68.5), importID: 1) }
        try Stores.watch(url)
        let first = try Stores.changeStamp(url)
        #expect(first.hasPrefix("pg:"))
        // A write through psql's own connection (as another server would) followed by its notification.
        try TestPostgres.psql(url, "BEGIN; UPDATE portrait_stamp SET counter = counter + 1; SELECT pg_notify('portrait_changed', (SELECT 'pg:' || instance || ':' || counter FROM portrait_stamp)); COMMIT;")
        var seen = first
        for _ in 0..<100 where seen == first { Thread.sleep(forTimeInterval: 0.01); seen = try Stores.changeStamp(url) }
        #expect(seen != first)
        // A write of this process is known here without waiting for the notification.
        try Stores.writing(to: url) { s in _ = try s.upsert(unit(.municipality, "10045", -68.3), importID: 2) }
        #expect(PostgresStampWatcher.counter(try Stores.changeStamp(url)) == PostgresStampWatcher.counter(seen) + 1)
    }
}

final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [any Error] = []
    func add(_ e: any Error) { lock.lock(); errors.append(e); lock.unlock() }
    var all: [any Error] { lock.lock(); defer { lock.unlock() }; return errors }
}
