import Foundation
import PortraitStore
import PortraitTestSupport
import Testing

/// Imports that die, fill the disk or meet a read-only store: the store opens (in GDAL's ogrinfo too) and
/// holds exactly what it held before, or exactly what the finished import would have written, nothing between.
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct ResilienceTests {
    /// Every row of every table, in order: equal content, whatever the bytes (a rolled-back journal may leave free pages).
    static func content(_ path: String) throws -> String {
        let db = try SQLiteDatabase(path: path, readOnly: false)
        var out = ""
        for t in try db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'rtree_%' ORDER BY name") {
            guard case .text(let name) = t[0] else { continue }
            out += "\n## \(name)\n"
            // Clock times aside (when an import ran, when a layer last changed): the data itself.
            let columns = try db.query("PRAGMA table_info(\"\(name)\")").compactMap { r -> String? in
                guard case .text(let c) = r[1], !["imported_at", "last_change", "update_time"].contains(c) else { return nil }
                return "\"\(c)\""
            }
            for r in try db.query("SELECT \(columns.joined(separator: ", ")) FROM \"\(name)\" ORDER BY rowid") { out += "\(r)\n" }
        }
        return out
    }

    static func baseStore() throws -> String {
        let dir = tempDir("portrait-resilience")
        let store = dir + "/base.gpkg"
        let r = try Binary.run(["demo", "load", "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        return store
    }

    static var bigFile: String { get throws { try RealData.path("synthetic/qc_municipalites_voronoi_synthetique.geojson") } }

    @Test func killedTwentyTimesDuringAnImport() throws {
        let base = try Self.baseStore()
        let dir = (base as NSString).deletingLastPathComponent
        let exe = try #require(Binary.url)
        let args = ["import", "boundaries", try Self.bigFile, "--level", "municipality", "--store"]
        // The two states a store may be in: before, and after the finished import (timed, to aim the kills).
        let before = try Self.content(base)
        let done = dir + "/done.gpkg"
        try FileManager.default.copyItem(atPath: base, toPath: done)
        let t0 = Date()
        #expect(try Binary.run(args + [done]).status == 0)
        let duration = Date().timeIntervalSince(t0)
        let after = try Self.content(done)
        #expect(before != after)
        var interrupted = 0
        for i in 0..<20 {
            let store = dir + "/kill\(i).gpkg"
            try FileManager.default.copyItem(atPath: base, toPath: store)
            let p = Process()
            p.executableURL = exe
            p.arguments = args + [store]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            // Anywhere from the start to a little past the end of a normal run.
            usleep(useconds_t(Double.random(in: 0...(duration * 1.1)) * 1_000_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            // The next Portrait process recovers a hot journal (readers included); a read-only GDAL cannot, so it
            // reads the store after `portrait info`, as the README says to do after a crash.
            let info = try Binary.run(["info", "--store", store])
            #expect(info.status == 0, "info, run \(i): \(info.stderr)")
            if let ogrinfo = ExternalTool.find(["ogrinfo"]) {
                let out = try ExternalTool.run(ogrinfo, ["-ro", "-so", "-q", store])
                #expect(out.contains("municipalities"), "ogrinfo, run \(i): \(out)")
            }
            let now = try Self.content(store)
            #expect(now == before || now == after, "run \(i): a state between the two")
            if now == before { interrupted += 1 }
        }
        // Most kills land during the import (it is timed above); at least one did.
        #expect(interrupted >= 1)
    }

    /// Runs `executable` with `arguments` from `/`; its exit status and standard error.
    static func failing(_ executable: String, _ arguments: [String]) throws -> (status: Int32, message: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: "/")
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, message)
    }

    /// The disk fills during the import (a file-size limit, `ulimit -f`, stands for it): a clear error, exit 3, nothing changed.
    @Test func aFullDiskDuringAnImport() throws {
        let base = try Self.baseStore()
        let exe = try #require(Binary.url)
        let before = try Self.content(base)
        let size = (try FileManager.default.attributesOfItem(atPath: base)[.size] as? Int) ?? 0
        let (status, message) = try Self.failing("/bin/bash", [
            "-c", "trap '' XFSZ; ulimit -f \(size / 1024 + 64); exec \"$0\" import boundaries \"$1\" --level municipality --store \"$2\"",
            exe.path, try Self.bigFile, base])
        #expect(status == 3, "\(message)")
        #expect(message.contains("disque plein") && message.contains("rien n'a été changé"), "\(message)")
        #expect(try Self.content(base) == before)
    }

    /// A store the user may read but not write: a clear error, exit 3, nothing changed.
    @Test func aReadOnlyStore() throws {
        let base = try Self.baseStore()
        let exe = try #require(Binary.url)
        let before = try Self.content(base)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: base)
        let dir = (base as NSString).deletingLastPathComponent
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir)
        let csv = dir + "/synthetique.csv"
        try "code,valeur\n91005,1\n".write(toFile: csv, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: csv)
        // Root writes anyway: the import then runs as `nobody` (setpriv, util-linux).
        let asRoot = getuid() == 0
        guard !asRoot || ExternalTool.find(["setpriv"]) != nil else { return }
        let args = ["import", "indicators", csv, "--indicator", "essai", "--value-field", "valeur", "--vintage", "2021", "--store", base]
        let (status, message) = asRoot ? try Self.failing("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", exe.path] + args)
            : try Self.failing(exe.path, args)
        #expect(status == 3, "\(message)")
        #expect(message.contains("lecture seule") && message.contains("rien n'a été changé"), "\(message)")
        #expect(try Self.content(base) == before)
    }

    /// An import killed inside its transaction leaves a hot journal. The next reader recovers the store without
    /// anything else writing first: `portrait info` answers (exit 0) and `serve` answers 200, with the store exactly
    /// as before the import and the journal gone. A reader that may not write the store (here `nobody`) gets exit 3
    /// and a message saying what happened and what to do, and changes nothing.
    @Test func aHotJournalIsRecoveredByTheNextReader() throws {
        let base = try Self.baseStore()
        let dir = (base as NSString).deletingLastPathComponent
        let exe = try #require(Binary.url)
        let before = try Self.content(base)
        func size(_ p: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: p))?[.size] as? NSNumber)?.intValue ?? 0 }
        /// A copy of the base store whose import was killed while its journal was on disk.
        func killedInsideTheTransaction(_ name: String) throws -> String? {
            for attempt in 0..<20 {
                let store = dir + "/\(name)\(attempt).gpkg"
                try FileManager.default.copyItem(atPath: base, toPath: store)
                let p = Process()
                p.executableURL = exe
                p.arguments = ["import", "boundaries", try Self.bigFile, "--level", "municipality", "--store", store]
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                try p.run()
                // Poll (bounded: 30 s) until the journal is hot (the store's pages are being written), then kill at once.
                let deadline = Date().addingTimeInterval(30)
                while p.isRunning, !SQLiteDatabase.isHotJournal(store + "-journal"), Date() < deadline { usleep(100) }
                kill(p.processIdentifier, SIGKILL)
                p.waitUntilExit()
                if SQLiteDatabase.isHotJournal(store + "-journal") { return store }
            }
            return nil
        }
        let store = try #require(try killedInsideTheTransaction("info"), "no kill landed inside the import's transaction")
        if getuid() == 0, let setpriv = ExternalTool.find(["setpriv"]) {
            let (status, message) = try Self.failing(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", exe.path, "info", "--store", store])
            #expect(status == 3, "\(message)")
            #expect(message.contains("écriture interrompue") && message.contains("portrait info"), "\(message)")
            #expect(SQLiteDatabase.isHotJournal(store + "-journal"))
        }
        let info = try Binary.run(["info", "--store", store])
        #expect(info.status == 0, "\(info.stderr)")
        #expect(size(store + "-journal") == 0)
        #expect(try Self.content(store) == before)

        let served = try #require(try killedInsideTheTransaction("serve"), "no kill landed inside the import's transaction")
        let server = try ServerProcess(store: served, token: nil)
        #expect(try HTTP.get(server.port, "/regions")?.status == 200)
        #expect(try HTTP.get(server.port, "/mrc/10/municipalities")?.status != 503)
        #expect(size(served + "-journal") == 0)
        #expect(try Self.content(served) == before)
    }

    /// `tiles seed` killed at any point, from its first instant on: the cache file is absent, or an MBTiles that
    /// GDAL opens with its metadata (never a file without tables or metadata).
    @Test func aTileSeedKilledEarlyLeavesAValidCacheOrNone() throws {
        let base = try Self.baseStore()
        let exe = try #require(Binary.url)
        var absent = 0, valid = 0
        for i in 0..<12 {
            let tiles = tempDir("portrait-seed-kill")
            let p = Process()
            p.executableURL = exe
            p.arguments = ["tiles", "seed", "--layer", "municipalities", "--maxzoom", "9", "--tiles", tiles, "--store", base]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(useconds_t(i * 15_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let file = tiles + "/municipalities.mbtiles"
            guard FileManager.default.fileExists(atPath: file) else { absent += 1; continue }
            let mb = try MBTilesFile(readingAt: file)
            #expect(try mb.metadata("format") == "pbf", "run \(i)")
            if let ogrinfo = ExternalTool.find(["ogrinfo"]) {
                let out = try ExternalTool.run(ogrinfo, ["-ro", "-so", "-q", file])
                #expect(!out.contains("FAILURE"), "ogrinfo, run \(i): \(out)")
            }
            valid += 1
        }
        #expect(absent + valid == 12)
    }
}
