import Foundation
import PortraitModel

/// Prints HTML to PDF with headless Chromium (`chromium --headless --print-to-pdf`):
/// page breaks and page numbers come from the page's own CSS (`@page` margin boxes).
public enum PDFPrinter {
    /// A failure of the printer, with what Chromium said.
    public struct Failure: PortraitError {
        public var message: String
        public var kind: ErrorKind
        public var description: String { message }
    }

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

    /// Writes `html` printed as a PDF to `output`.
    public static func print(html: String, to output: String) throws {
        guard let chromium = browser() else {
            throw Failure(message: "chromium introuvable : installez le paquet Debian chromium (scripts/setup) ou donnez PORTRAIT_CHROMIUM",
                          kind: .unavailable)
        }
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("portrait-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let page = dir + "/rapport.html"
        try html.write(toFile: page, atomically: true, encoding: .utf8)
        let target = URL(fileURLWithPath: output).standardizedFileURL.path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: chromium)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                       "--user-data-dir=\(dir)/profil", "--no-pdf-header-footer", "--generate-pdf-document-outline", "--print-to-pdf=\(target)",
                       "file://\(page)"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let said = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, FileManager.default.fileExists(atPath: target) else {
            let text = String(decoding: said, as: UTF8.self).split(separator: "\n").suffix(3).joined(separator: " ")
            throw Failure(message: "chromium n'a pas imprimé \(output) (code \(p.terminationStatus)) : \(text)", kind: .internal)
        }
    }
}
