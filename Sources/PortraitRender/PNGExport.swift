import Foundation

/// SVG to PNG through librsvg's `rsvg-convert` (Debian package librsvg2-bin).
public enum PNGExport {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func convert(svg: String, png: String) throws {
        let candidates = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"]
        guard let exe = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure(description: "rsvg-convert introuvable : installez le paquet librsvg2-bin")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["-o", png, svg]
        let err = Pipe()
        p.standardError = err
        try p.run()
        let msg = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failure(description: "rsvg-convert : \(msg)") }
    }
}
