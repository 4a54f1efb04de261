import Foundation
import PortraitModel
@testable import PortraitReport
import PortraitTestSupport
import Testing

/// The PDF printer reads nothing but its page: markup in a page (had it escaped every gate) that points at the
/// server's files or at a loopback listener loads nothing, and nothing of Chromium outlives a print, even one killed
/// at its time limit.
@Suite(.serialized) struct PrinterTests {
    static let passwd = "root:x:0:0"

    @Test(.enabled(if: Tools.printing, "chromium ou pdfinfo absent (scripts/setup les installe) : test ignoré hors CI"))
    func aPageLoadsNothingButItself() throws {
        #expect(try String(contentsOfFile: "/etc/passwd", encoding: .utf8).contains(Self.passwd), "the file the page must not read")
        let listener = try LoopbackListener()
        let u = listener.url
        let hostile = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>hostile</title>
            <link rel="stylesheet" href="\(u)/style.css"><link rel="stylesheet" href="file:///etc/passwd">
            <style>@import url("\(u)/import.css"); body{background:url("\(u)/fond.png")} h2::after{content:url("file:///etc/passwd")}</style>
            <script src="\(u)/script.js"></script><script>document.write('SCRIPT-RAN'); fetch('\(u)/fetch'); new Image().src='\(u)/img-js';</script>
            </head><body><h1>Page hostile</h1>
            <iframe src="file:///etc/passwd" width="600" height="400"></iframe><iframe src="\(u)/frame"></iframe>
            <img src="file:///etc/passwd"><img src="\(u)/img.png"><object data="file:///etc/passwd" type="text/plain" width="600" height="300"></object>
            <embed src="file:///etc/passwd" type="text/plain"><object data="\(u)/object"></object><embed src="\(u)/embed">
            <video src="\(u)/video.mp4" autoplay></video><audio src="\(u)/audio.mp3" autoplay></audio>
            <h2>fin</h2></body></html>
            """
        let dir = tempDir("portrait-printer")
        let before = PrinterProcesses.profiles()
        try PDFPrinter.print(html: hostile, to: dir + "/h.pdf")
        let text = try Tools.run("/usr/bin/pdftotext", [dir + "/h.pdf", "-"])
        #expect(text.contains("Page hostile") && text.contains("fin"), "\(text)")
        #expect(!text.contains(Self.passwd) && !text.contains("/bin/bash") && !text.contains("SCRIPT-RAN"), "\(text)")
        // Not even a byte of it in the PDF's own streams (an embedded object).
        let raw = try Data(contentsOf: URL(fileURLWithPath: dir + "/h.pdf"))
        #expect(raw.range(of: Data(Self.passwd.utf8)) == nil)
        #expect(listener.connections() == 0)
        #expect(PrinterProcesses.leftSince(before).isEmpty, "Chromium processes left")
    }

    /// A print that runs past its limit: killed with every process it started, answered with an error that says so.
    @Test func aPrintPastItsLimitIsKilledWhole() throws {
        let dir = tempDir("portrait-printer-slow")
        let marker = "portrait-fake-chromium-\(UUID().uuidString)"
        // A « browser » that starts a child and never finishes, as a print stuck on a page would.
        let fake = try write("#!/bin/sh\n/bin/sh -c 'sleep 300' \(marker)-child &\nexec /bin/sh -c 'sleep 301' \(marker)-main\n", "chromium", in: dir)
        chmod(fake, 0o755)
        let start = Date()
        do {
            try PDFPrinter.print(html: "<p>lente</p>", to: dir + "/l.pdf", timeLimit: 1.5, browser: fake)
            Issue.record("the print should have been stopped")
        } catch let e as PDFPrinter.Failure {
            #expect(e.kind == .unavailable && e.retryAfter != nil && e.message.contains("interrompue"), "\(e)")
        }
        #expect(Date().timeIntervalSince(start) < 10)
        // Nothing of it is left (the kernel may take a moment to reap).
        var left: [String] = []
        for _ in 0..<20 {
            left = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { $0.allSatisfy(\.isNumber) }.compactMap { pid in
                guard let d = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                      let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), !stat.contains(") Z ") else { return nil }
                return String(decoding: d, as: UTF8.self).contains(marker) ? pid : nil
            }
            if left.isEmpty { break }
            usleep(100_000)
        }
        #expect(left.isEmpty, "processes left: \(left)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/l.pdf"))
    }
}
