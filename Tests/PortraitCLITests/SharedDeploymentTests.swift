import Foundation
import PortraitModel
import PortraitStore
import PortraitTestSupport
import Testing

/// A `portrait serve` process on a loopback port, stopped (SIGTERM) when done.
final class ServerProcess {
    let process = Process()
    let port: Int
    let log: String

    init(store: String, token: String? = "equipe=s3cret", extraEnv: [String: String] = [:]) throws {
        port = Int.random(in: 20_000...40_000)
        log = tempDir("serveur") + "/serve.log"
        let exe = try #require(Binary.url, "the portrait executable is not built")
        process.executableURL = exe
        process.arguments = ["serve", "--store", store, "--host", "127.0.0.1", "--port", String(port), "--log-level", "warning",
                             "--tiles", tempDir("tuiles")]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: Stores.environmentVariable)
        env["PORTRAIT_TOKEN"] = token
        for (k, v) in extraEnv { env[k] = v }
        process.environment = env
        FileManager.default.createFile(atPath: log, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = h
        process.standardError = h
        try process.run()
        for _ in 0..<200 {
            if (try? HTTP.get(port, "/health"))?.status != nil { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("portrait serve did not answer on port \(port): \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    var isRunning: Bool { process.isRunning }

    deinit {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
    }
}

/// A few HTTP requests with curl (bounded: every call has a 10 s limit).
enum HTTP {
    struct Answer { var status: Int; var body: String }

    /// GET; nil when nothing answers on the port.
    static func get(_ port: Int, _ path: String) throws -> Answer? {
        try curl(["http://127.0.0.1:\(port)\(path)"])
    }

    static func post(_ port: Int, _ path: String, file: String, token: String?) throws -> Answer? {
        var args = ["-X", "POST", "--data-binary", "@" + file, "-H", "Content-Type: application/octet-stream"]
        if let token { args += ["-H", "Authorization: Bearer \(token)"] }
        return try curl(args + ["http://127.0.0.1:\(port)\(path)"])
    }

    static func curl(_ args: [String]) throws -> Answer? {
        let text = try ExternalTool.run("/usr/bin/curl", ["-s", "-m", "10", "-w", "\n%{http_code}"] + args)
        guard let nl = text.lastIndex(of: "\n"), let code = Int(text[text.index(after: nl)...]), code > 0 else { return nil }
        return Answer(status: code, body: String(text[..<nl]))
    }
}

/// Several `portrait` processes on one PostgreSQL database: writes seen by every server at once, imports of
/// two layers side by side, a killed import, the database stopped and started again under load; and a store
/// moved between backends and back.
@Suite(.enabled(if: TestPostgres.shouldRun, TestPostgres.skipReason), .serialized)
struct SharedDeploymentTests {
    static let bsl = Binary.root.appendingPathComponent("geodata/bsl").path

    /// A database holding the fictional demo territory.
    static func demoDatabase(_ name: String) throws -> String {
        let url = try TestPostgres.freshDatabase(name)
        let r = try Binary.run(["demo", "load", "--store", url])
        try #require(r.status == 0, "\(r.stderr)")
        return url
    }

    /// Rows and content of every table, and the stamp: equal means nothing changed.
    static func fingerprint(_ url: String) throws -> String {
        try TestPostgres.psql(url, """
            SELECT (SELECT counter FROM portrait_stamp) || '|' ||
              (SELECT count(*) || md5(coalesce(string_agg(code || name || coalesce(mrc_code, '') || ST_AsText(geom), ',' ORDER BY code), '')) FROM municipalities) || '|' ||
              (SELECT count(*) FROM mrc) || '|' || (SELECT count(*) FROM regions) || '|' || (SELECT count(*) FROM imports) || '|' ||
              (SELECT count(*) FROM indicator_values) || '|' || (SELECT count(*) FROM services)
            """)
    }

    @Test func storeCopyRoundTripKeepsInfoAndPortraits() throws {
        let dir = scratch()
        let a = dir + "/a.gpkg", b = dir + "/b.gpkg"
        let db = try TestPostgres.freshDatabase("copie")
        #expect(try Binary.run(["demo", "load", "--store", a]).status == 0)
        let there = try Binary.run(["store", "copy", "--from", a, "--to", db])
        #expect(there.status == 0, "\(there.stderr)")
        #expect(there.stdout.contains("municipalities : 27"))
        let back = try Binary.run(["store", "copy", "--from", db, "--to", b])
        #expect(back.status == 0, "\(back.stderr)")
        func info(_ s: String) throws -> String {
            try Binary.run(["info", "--format", "json", "--store", s]).stdout
                .replacingOccurrences(of: #""store" : "[^"]*""#, with: "", options: .regularExpression)
        }
        #expect(try info(a) == info(b))
        #expect(try info(a) == info(db))
        for args in [["portrait", "--region", "99", "--format", "md"], ["portrait", "--mrc", "991", "--format", "json"]] {
            let pa = try Binary.run(args + ["--store", a]), pb = try Binary.run(args + ["--store", b]), pd = try Binary.run(args + ["--store", db])
            #expect(pa.status == 0 && pa.stdout.count > 500, "\(pa.stderr)")
            #expect(pa.stdout == pb.stdout)
            #expect(pa.stdout == pd.stdout)
        }
        // A target with data is refused (nothing copied) unless --replace.
        let again = try Binary.run(["store", "copy", "--from", a, "--to", db])
        #expect(again.status == 1 && again.stderr.contains("--replace"))
        #expect(try Binary.run(["store", "copy", "--from", a, "--to", db, "--replace"]).status == 0)
    }

    @Test func twoServersOneDatabase() throws {
        let url = try Self.demoDatabase("deux")
        let a = try ServerProcess(store: url), b = try ServerProcess(store: url)
        // Both serve the store; B has its answer cached.
        for s in [a, b] { #expect(try HTTP.get(s.port, "/indicators")?.status == 200) }
        #expect(try HTTP.get(b.port, "/indicators")?.body.contains("essai_partage") == false)
        // An import through A…
        let csv = try write("code,valeur\n91005,7\n", "essai.csv", in: scratch())
        let r = try #require(try HTTP.post(a.port, "/imports/indicators?indicator=essai_partage&vintage=2030&value-field=valeur&filename=essai.csv",
                                           file: csv, token: "s3cret"))
        #expect(r.status == 200, "\(r.body)")
        // …is served by B at once (its cache follows the database's stamp).
        #expect(try HTTP.get(b.port, "/indicators")?.body.contains("essai_partage") == true)

        // Two imports of different layers at the same time, one through each server: both land.
        let services = try write("nom,lat,lon\nCLSC partagé,49.33,-67.50\n", "clsc.csv", in: scratch())
        let answers = AnswerBox()
        let group = DispatchGroup()
        for (port, path, file) in [(a.port, "/imports/services?category=clsc&field=name=nom&filename=clsc.csv", services),
                                   (b.port, "/imports/indicators?indicator=essai_b&vintage=2030&value-field=valeur&filename=essai.csv", csv)] {
            group.enter()
            DispatchQueue.global().async {
                answers.add((try? HTTP.post(port, path, file: file, token: "s3cret"))?.status ?? 0)
                group.leave()
            }
        }
        #expect(group.wait(timeout: .now() + 60) == .success)
        #expect(answers.all == [200, 200])
        let s = try Stores.open(url)
        #expect(try s.services(category: "clsc").map(\.name) == ["CLSC partagé"])
        #expect(try s.vintages("essai_b") == [2030])
        #expect(try s.imports(limit: 10).filter { $0.parameters["writer"] == "http:equipe" }.count == 3)
        for srv in [a, b] {
            #expect(try HTTP.get(srv.port, "/indicators")?.body.contains("essai_b") == true)
            #expect(srv.isRunning)
        }
    }

    /// An import killed (SIGKILL) in the middle of its transaction leaves the database as it was.
    @Test func killedImportLeavesTheDatabaseAsItWas() throws {
        let url = try Self.demoDatabase("tuee")
        var before = try Self.fingerprint(url)
        let exe = try #require(Binary.url)
        var killedWhileWriting = false
        for _ in 0..<5 where !killedWhileWriting {
            before = try Self.fingerprint(url)   // an attempt that finished before the kill changed it
            let p = Process()
            p.executableURL = exe
            p.arguments = ["import", "boundaries", Self.bsl + "/bsl_municipalites_sda.geojson", "--level", "municipality", "--store", url]
            p.standardOutput = Pipe(); p.standardError = Pipe()
            try p.run()
            // Wait until it holds the municipalities' lock (inside its transaction), then kill it.
            for _ in 0..<2000 where p.isRunning {
                if try TestPostgres.psql(url, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted") != "0" {
                    kill(p.processIdentifier, SIGKILL)
                    killedWhileWriting = true
                    break
                }
                Thread.sleep(forTimeInterval: 0.002)
            }
            p.waitUntilExit()
        }
        #expect(killedWhileWriting)
        // PostgreSQL rolls the transaction back when the connection drops.
        var after = ""
        for _ in 0..<100 {
            after = try Self.fingerprint(url)
            if try TestPostgres.psql(url, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()") == "0" { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(after == before)
        // And the next import runs normally.
        let r = try Binary.run(["import", "boundaries", Self.bsl + "/bsl_municipalites_sda.geojson", "--level", "municipality", "--store", url])
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// PostgreSQL stopped under load: 503s (never a crash, never a hang), then service again by itself.
    @Test func databaseStoppedThenRestarted() throws {
        let dir = tempDir("pg-panne")
        let port = Int.random(in: 58_000...59_000)
        let start = try ExternalTool.runStatus(Binary.root.appendingPathComponent("scripts/pg-cluster").path, ["start", dir, String(port)])
        try #require(start.status == 0, "\(start.output)")
        defer { _ = try? ExternalTool.runStatus(Binary.root.appendingPathComponent("scripts/pg-cluster").path, ["stop", dir]) }
        let url = start.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Binary.run(["demo", "load", "--store", url]).status == 0)
        let server = try ServerProcess(store: url)
        let paths = ["/health", "/regions", "/portrait/region/99", "/indicators", "/geojson/municipalities?region=99"]
        var statuses: [Int] = []
        for p in paths { statuses.append(try HTTP.get(server.port, p)?.status ?? 0) }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")

        let cluster = Binary.root.appendingPathComponent("scripts/pg-cluster").path
        #expect(try ExternalTool.runStatus(cluster, ["pause", dir]).status == 0)
        // Down: every route answers 503 (bounded: 5 rounds), the server keeps running.
        var down: [Int] = []
        for _ in 0..<5 { for p in paths { down.append(try HTTP.get(server.port, p)?.status ?? 0) } }
        #expect(down.allSatisfy { $0 == 503 }, "\(down)")
        #expect(server.isRunning)
        let body = try HTTP.get(server.port, "/health")?.body ?? ""
        #expect(body.contains("indisponible") && !body.contains("s3cret"))

        #expect(try ExternalTool.runStatus(cluster, ["resume", dir]).status == 0)
        // Back: served again without a restart (the pool and the stamp watcher reconnect), within a few seconds.
        var back = 0
        for _ in 0..<100 {
            back = try HTTP.get(server.port, "/portrait/region/99")?.status ?? 0
            if back == 200 { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(back == 200)
        for p in paths { #expect(try HTTP.get(server.port, p)?.status == 200, "\(p)") }
        #expect(server.isRunning)
    }
}

final class AnswerBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int] = []
    func add(_ v: Int) { lock.lock(); values.append(v); lock.unlock() }
    var all: [Int] { lock.lock(); defer { lock.unlock() }; return values }
}

extension ExternalTool {
    /// Runs `tool`; its exit status and standard output (standard error appended when it fails). Spawned and
    /// waited for with `posix_spawn` and `waitpid`, output through files: the cluster script leaves a server
    /// running in the background, which Foundation's `Process` does not cope with (its child was never reaped).
    static func runStatus(_ tool: String, _ args: [String]) throws -> (status: Int32, output: String) {
        let dir = tempDir("outil")
        let outPath = dir + "/out", errPath = dir + "/err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([tool] + args).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, tool, &actions, nil, argv, environ)
        guard rc == 0 else { return (rc, "posix_spawn \(tool) : \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let o = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let e = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return (exit, o + (exit == 0 ? "" : e))
    }
}
