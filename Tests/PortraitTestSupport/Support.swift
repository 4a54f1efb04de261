import Crypto
import Foundation
import Testing

/// A new, empty scratch folder under the system's temporary directory.
public func tempDir(_ prefix: String = "portrait-tests") -> String {
    let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// Writes `text` to `dir/name`; returns the path.
public func write(_ text: String, _ name: String, in dir: String) throws -> String {
    let p = (dir as NSString).appendingPathComponent(name)
    try text.write(toFile: p, atomically: true, encoding: .utf8)
    return p
}

/// A GeoJSON polygon ring literal for a lon/lat box.
public func ring(_ x: Double, _ y: Double, _ s: Double = 0.1) -> String {
    "[[\(x),\(y)],[\(x + s),\(y)],[\(x + s),\(y + s)],[\(x),\(y + s)],[\(x),\(y)]]"
}

/// An SDA-style municipality feature.
public func sdaFeature(_ code: String, _ name: String, mrc: String = "10", ring r: String, des: String = "M") -> String {
    #"{"type":"Feature","properties":{"MUS_CO_GEO":"\#(code)","MUS_NM_MUN":"\#(name)","MUS_CO_DES":"\#(des)","MRS_CO_MRC":"\#(mrc)","RES_CO_REG":"01"},"geometry":{"type":"Polygon","coordinates":[\#(r)]}}"#
}

public func collection(_ features: [String], crs: String? = nil) -> String {
    let c = crs.map { #","crs":{"type":"name","properties":{"name":"\#($0)"}}"# } ?? ""
    return #"{"type":"FeatureCollection"\#(c),"features":[\#(features.joined(separator: ","))]}"#
}

/// SHA-256 of a file, or "absent": a store "unchanged" means the same fingerprint.
public func fingerprint(_ path: String) -> String {
    guard let data = FileManager.default.contents(atPath: path) else { return "absent" }
    return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}

/// The project root (two levels above this file's folder).
public let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The real data in ../shared/geodata. Under CI its absence is a failure;
/// elsewhere tests that need it are skipped with the reason.
public enum RealData {
    public static let root = ((projectRoot as NSString).appendingPathComponent("../shared/geodata") as NSString).standardizingPath
    public static var available: Bool { FileManager.default.fileExists(atPath: root + "/README.md") }
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    /// Run the test when the data is here, or under CI (where it must be).
    public static var shouldRun: Bool { available || isCI }
    public static let skipReason: Comment = "../shared/geodata absent : données réelles non disponibles sur cette machine (hors CI, test ignoré)"

    public static func path(_ relative: String) throws -> String {
        try #require(available, "CI=true mais ../shared/geodata est absent (\(root))")
        return root + "/" + relative
    }
}

/// External programs the tests drive (Chromium, pdfinfo, pdftotext), found in /usr/bin.
public enum ExternalTool {
    public static func find(_ names: [String]) -> String? {
        names.map { "/usr/bin/\($0)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
    public static var chromium: String? { find(["chromium", "chromium-browser"]) }

    /// Runs `tool` with `args`; returns its standard output (standard error discarded).
    /// `run` on a thread of its own, so that waiting for the tool never holds one of Swift concurrency's few
    /// threads (a server under test in the same process needs them to answer the tool).
    public static func runDetached(_ tool: String, _ args: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { c in
            Thread { c.resume(with: Result { try run(tool, args) }) }.start()
        }
    }

    public static func run(_ tool: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A TCP socket listening on 127.0.0.1 (an ephemeral port) that never answers: `connections()` counts the
/// clients that reached it so far (accepted and closed at once). For the tests that must make no outside
/// access: every address they could be tricked into fetching points here.
public final class LoopbackListener: @unchecked Sendable {
    public let port: UInt16
    private let fd: Int32
    private var seen = 0

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { s in
                bind(fd, s, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, s, &length) == 0
            }
        }
        guard bound else { close(fd); throw POSIXError(.EADDRNOTAVAIL) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(fd) }

    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// How many clients have connected since the listener opened.
    public func connections() -> Int {
        while true {
            let c = accept(fd, nil, nil)
            guard c >= 0 else { break }
            close(c)
            seen += 1
        }
        return seen
    }
}

/// Chromium processes of Portrait's PDF prints, by the profile folder each print gives its browser (`portrait-pdf-UUID`).
public enum PrinterProcesses {
    /// The print folders named by a living process's command line (zombies left out).
    public static func profiles() -> Set<String> {
        var out = Set<String>()
        for pid in ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []) where pid.allSatisfy(\.isNumber) {
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), !stat.contains(") Z ") else { continue }
            let cmd = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            if let m = cmd.firstMatch(of: /portrait-pdf-[0-9A-F-]{36}/) { out.insert(String(m.output)) }
        }
        return out
    }

    /// The prints started after `before` still alive `seconds` later: other suites print at the same time, so a print
    /// of theirs may be seen for a while; a process a print left behind stays.
    public static func leftSince(_ before: Set<String>, seconds: Double = 30) -> Set<String> {
        let end = Date().addingTimeInterval(seconds)
        var left = profiles().subtracting(before)
        while !left.isEmpty && Date() < end {
            usleep(200_000)
            left = left.intersection(profiles())
        }
        return left
    }
}
