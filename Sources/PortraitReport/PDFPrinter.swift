import Foundation
import PortraitModel

#if canImport(Glibc)
import Glibc
#endif

/// Prints HTML to PDF with headless Chromium (`chromium --headless --print-to-pdf`):
/// page breaks and page numbers come from the page's own CSS (`@page` margin boxes).
///
/// The page printed is hostile until proved otherwise (its names and units came from files and requests), so the
/// printer reads nothing but it: a Content-Security-Policy that loads nothing (`PagePolicy.print`: no file, no
/// frame, no image but `data:`, no script), every connection sent to a proxy that does not exist (loopback
/// included), and a time limit after which Chromium's whole process group is killed. At most `slots` prints run
/// at once; the next wait their turn up to `waitSeconds`, then are refused as busy (503 with `Retry-After`).
public enum PDFPrinter {
    /// A failure of the printer, with what Chromium said.
    public struct Failure: PortraitError {
        public var message: String
        public var kind: ErrorKind
        /// Seconds after which a refused print may be tried again (every slot taken).
        public var retryAfter: Int?
        public var description: String { message }
    }

    /// Prints at once (`PORTRAIT_PDF_PRINTS`, 2 by default).
    public static let slots: Int = ProcessInfo.processInfo.environment["PORTRAIT_PDF_PRINTS"].flatMap(Int.init).map { max(1, $0) } ?? 2
    /// Seconds a print may run (`PORTRAIT_PDF_SECONDS`, 90 by default).
    public static let timeLimit: Double = ProcessInfo.processInfo.environment["PORTRAIT_PDF_SECONDS"].flatMap(Double.init).map { max(1, $0) } ?? 90
    /// Seconds a served print waits for a slot before it is refused (503); the CLI and the atlas wait their turn.
    public static let waitSeconds: Double = 20
    private static let gate = DispatchSemaphore(value: slots)

    /// The browser: `$PORTRAIT_CHROMIUM`, else `chromium` or `chromium-browser` on the PATH.
    static func browser() -> String? {
        if let e = ProcessInfo.processInfo.environment["PORTRAIT_CHROMIUM"], !e.isEmpty { return e }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let p = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: p) { return p }
            }
        }
        return nil
    }

    /// Writes `html` printed as a PDF to `output`. `timeLimit`: seconds before Chromium and every process it
    /// started are killed and the print fails.
    /// `wait`: seconds to wait for a slot (`waitSeconds` for a served print; the CLI and the atlas wait as long as it
    /// takes). `browser`: the program to run instead of Chromium (tests).
    public static func print(html: String, to output: String, timeLimit: Double = PDFPrinter.timeLimit, wait: Double = PDFPrinter.waitSeconds,
                             browser program: String? = nil) throws {
        guard let chromium = program ?? browser() else {
            throw Failure(message: "chromium introuvable : installez le paquet Debian chromium (scripts/setup) ou donnez PORTRAIT_CHROMIUM",
                          kind: .unavailable)
        }
        guard gate.wait(timeout: .now() + wait) == .success else {
            throw Failure(message: "l'imprimante PDF est occupée (\(slots) impressions en cours, PORTRAIT_PDF_PRINTS) : réessayez dans quelques secondes",
                          kind: .unavailable, retryAfter: 10)
        }
        defer { gate.signal() }
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("portrait-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let page = dir + "/rapport.html"
        try PagePolicy.withMeta(html, policy: PagePolicy.print).write(toFile: page, atomically: true, encoding: .utf8)
        let target = URL(fileURLWithPath: output).standardizedFileURL.path
        let errors = dir + "/chromium.err"
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        let p = Process()
        // Foundation's `Process` starts Chromium as the leader of a process group of its own (its pgid is its pid), so that
        // the group (renderers, zygote, GPU and utility processes) can be killed whole.
        p.executableURL = URL(fileURLWithPath: chromium)
        p.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--user-data-dir=\(dir)/profil", "--no-pdf-header-footer", "--generate-pdf-document-outline",
            // No network (every request, loopback included, to a proxy nobody listens on), no extensions, no sync. The page's
            // own scripts are off by its policy (`script-src 'none'`); Chromium's switch for scripts would stop the print itself.
            "--proxy-server=socks5://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            "--disable-extensions", "--disable-sync", "--disable-background-networking", "--disable-component-update",
            "--disable-domain-reliability", "--dns-prefetch-disable",
            "--print-to-pdf=\(target)", "file://\(page)"]
        p.standardError = FileHandle(forWritingAtPath: errors)
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in done.signal() }
        try p.run()
        let pid = p.processIdentifier
        let finished = done.wait(timeout: .now() + timeLimit) == .success
        // Whatever happened, nothing of this print outlives it.
        killGroup(pid, leaderToo: !finished)
        if !finished {
            _ = done.wait(timeout: .now() + 5)
            try? FileManager.default.removeItem(atPath: target)
            throw Failure(message: "impression PDF interrompue après \(Int(timeLimit)) s (PORTRAIT_PDF_SECONDS) : la page n'a pas fini de s'imprimer",
                          kind: .unavailable, retryAfter: 30)
        }
        guard p.terminationStatus == 0, FileManager.default.fileExists(atPath: target) else {
            let said = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            let text = said.split(separator: "\n").suffix(3).joined(separator: " ")
            throw Failure(message: "chromium n'a pas imprimé le PDF (code \(p.terminationStatus)) : \(Escape.plain(text, limit: 300))", kind: .internal)
        }
        // The running footer and page numbers (the page-margin boxes, which Chromium leaves untagged) marked as artifacts.
        let printed = try Data(contentsOf: URL(fileURLWithPath: target))
        let marked = PDFArtifacts.mark(printed)
        if marked != printed { try marked.write(to: URL(fileURLWithPath: target), options: .atomic) }
    }

    /// SIGKILL to the process group led by `pid`; `leaderToo`: to `pid` itself as well (still running, not yet reaped).
    static func killGroup(_ pid: Int32, leaderToo: Bool) {
        guard pid > 0 else { return }
        #if canImport(Glibc)
        _ = Glibc.kill(-pid, SIGKILL)
        if leaderToo { _ = Glibc.kill(pid, SIGKILL) }
        #endif
    }
}
