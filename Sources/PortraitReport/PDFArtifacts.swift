import CZlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Marks the untagged text of a printed PDF as artifacts (PDF/UA-1, 7.1: content is either tagged or an artifact).
///
/// Chromium tags the page's content but not what it draws in the page-margin boxes (the running footer and the page
/// numbers of `@page`): their text is outside any marked-content sequence. This pass finds, in every page's content
/// stream, each text object (`BT … ET`) that stands outside any marked content and holds none, wraps it in
/// `/Artifact BMC … EMC`, and writes the changed streams as an incremental update (the original bytes kept, new
/// objects and a new cross-reference section appended), so that nothing else of the file moves.
public enum PDFArtifacts {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The PDF with its untagged text marked as artifacts; the same bytes when there is none (or when the file is not
    /// the classic layout Chromium writes: a cross-reference table, page contents as direct-length Flate streams).
    public static func mark(_ pdf: Data) -> Data {
        (try? rewrite(pdf)) ?? pdf
    }

    static func rewrite(_ pdf: Data) throws -> Data {
        let bytes = [UInt8](pdf)
        // Page dictionaries and their content streams.
        var contents: [Int] = []
        for m in matches(bytes, pattern: Array("/Type /Page\n".utf8)) {
            // The dictionary runs to its ">>\nendobj"; its /Contents names one stream or an array of them.
            guard let end = find(bytes, Array("endobj".utf8), from: m) else { continue }
            let dict = String(decoding: bytes[m..<end], as: UTF8.self)
            if let r = dict.firstMatch(of: /\/Contents (\d+) 0 R/) { contents.append(Int(r.1)!) }
            else if let r = dict.firstMatch(of: /\/Contents \[([0-9 R]+)\]/) {
                contents += String(r.1).matches(of: /(\d+) 0 R/).map { Int($0.1)! }
            }
        }
        guard !contents.isEmpty else { return pdf }
        var updates: [(number: Int, object: [UInt8])] = []
        let offsets = objectOffsets(bytes)
        for n in Set(contents).sorted() {
            guard let at = offsets[n], let start = find(bytes, Array("\(n) 0 obj".utf8), from: at), start - at < 4 else { continue }
            guard let streamKeyword = find(bytes, Array("stream\n".utf8), from: start) else { continue }
            let header = String(decoding: bytes[start..<streamKeyword], as: UTF8.self)
            guard header.contains("/FlateDecode"), let l = header.firstMatch(of: /\/Length (\d+)(?! \d+ R)/), let length = Int(l.1) else { continue }
            let dataStart = streamKeyword + 7
            guard dataStart + length <= bytes.count else { continue }
            guard let content = inflate(Array(bytes[dataStart..<(dataStart + length)])), let marked = wrapUntaggedText(content) else { continue }
            guard let compressed = deflate(marked) else { continue }
            var object = Array("\(n) 0 obj\n<</Filter /FlateDecode\n/Length \(compressed.count)>> stream\n".utf8)
            object += compressed
            object += Array("\nendstream\nendobj\n".utf8)
            updates.append((n, object))
        }
        guard !updates.isEmpty else { return pdf }
        // The old trailer: its size, root, info, and where its cross-reference section starts.
        guard let trailerAt = lastMatch(bytes, Array("trailer".utf8)), let startxrefAt = lastMatch(bytes, Array("startxref".utf8)) else {
            throw Failure(description: "PDF sans trailer")
        }
        let trailer = String(decoding: bytes[trailerAt..<startxrefAt], as: UTF8.self)
        let tail = String(decoding: bytes[startxrefAt...], as: UTF8.self)
        guard let size = trailer.firstMatch(of: /\/Size (\d+)/).map({ String($0.1) }), let root = trailer.firstMatch(of: /\/Root (\d+ \d+ R)/).map({ String($0.1) }),
              let prev = tail.firstMatch(of: /startxref\s+(\d+)/).map({ String($0.1) }) else { throw Failure(description: "trailer illisible") }
        let info = trailer.firstMatch(of: /\/Info (\d+ \d+ R)/).map { "\n/Info \($0.1)" } ?? ""
        var out = bytes
        if out.last != 0x0A { out.append(0x0A) }
        var written: [(Int, Int)] = []
        for u in updates {
            written.append((u.number, out.count))
            out += u.object
        }
        let xrefAt = out.count
        var xref = "xref\n"
        for (n, offset) in written { xref += "\(n) 1\n" + String(format: "%010d 00000 n \n", offset) }
        xref += "trailer\n<</Size \(size)\n/Root \(root)\(info)\n/Prev \(prev)>>\nstartxref\n\(xrefAt)\n%%EOF\n"
        out += Array(xref.utf8)
        return Data(out)
    }

    /// Object number → byte offset, from the file's cross-reference table (the classic `xref` layout Chromium writes).
    static func objectOffsets(_ bytes: [UInt8]) -> [Int: Int] {
        guard let sx = lastMatch(bytes, Array("startxref".utf8)),
              let at = String(decoding: bytes[sx...], as: UTF8.self).firstMatch(of: /startxref\s+(\d+)/).flatMap({ Int($0.1) }),
              at < bytes.count, let end = find(bytes, Array("trailer".utf8), from: at) else { return [:] }
        let table = String(decoding: bytes[at..<end], as: UTF8.self).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard table.first == "xref" else { return [:] }
        var out: [Int: Int] = [:]
        var number = 0
        for line in table.dropFirst() {
            let f = line.split(separator: " ")
            if f.count == 2, let first = Int(f[0]) { number = first; continue }
            if f.count == 3, let offset = Int(f[0]) {
                if f[2] == "n" { out[number] = offset }
                number += 1
            }
        }
        return out
    }

    /// The content stream with each text object outside marked content (and holding none) wrapped as an artifact; nil
    /// when there is none, or when the stream holds an inline image (whose bytes are not tokens).
    static func wrapUntaggedText(_ c: [UInt8]) -> [UInt8]? {
        var depth = 0
        var insertions: [(at: Int, text: [UInt8])] = []
        var openBT: Int?          // where an untagged text object began
        var markedInside = false
        var i = 0
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 || b == 0x0C || b == 0x00 }
        func isDelimiter(_ b: UInt8) -> Bool { "()<>[]{}/%".utf8.contains(b) }
        while i < c.count {
            let b = c[i]
            if isSpace(b) { i += 1; continue }
            switch b {
            case UInt8(ascii: "%"):
                while i < c.count, c[i] != 0x0A, c[i] != 0x0D { i += 1 }
            case UInt8(ascii: "("):
                var level = 0
                while i < c.count {
                    if c[i] == UInt8(ascii: "\\") { i += 2; continue }
                    if c[i] == UInt8(ascii: "(") { level += 1 }
                    if c[i] == UInt8(ascii: ")") { level -= 1; if level == 0 { i += 1; break } }
                    i += 1
                }
            case UInt8(ascii: "<"):
                if i + 1 < c.count, c[i + 1] == UInt8(ascii: "<") { i += 2 } else {
                    while i < c.count, c[i] != UInt8(ascii: ">") { i += 1 }
                    i += 1
                }
            case UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                i += 1
            case UInt8(ascii: "/"):
                i += 1
                while i < c.count, !isSpace(c[i]), !isDelimiter(c[i]) { i += 1 }
            default:
                let start = i
                while i < c.count, !isSpace(c[i]), !isDelimiter(c[i]) { i += 1 }
                let token = String(decoding: c[start..<i], as: UTF8.self)
                switch token {
                case "BI": return nil
                case "BDC", "BMC":
                    depth += 1
                    if openBT != nil { markedInside = true }
                case "EMC": depth -= 1
                case "BT":
                    if depth == 0 { openBT = start; markedInside = false }
                case "ET":
                    if let s = openBT, depth == 0, !markedInside {
                        insertions.append((s, Array("/Artifact BMC\n".utf8)))
                        insertions.append((i, Array("\nEMC".utf8)))
                    }
                    openBT = nil
                default: break
                }
            }
        }
        guard !insertions.isEmpty else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(c.count + insertions.count * 16)
        var from = 0
        for ins in insertions.sorted(by: { $0.at < $1.at }) {
            out += c[from..<ins.at]
            out += ins.text
            from = ins.at
        }
        out += c[from...]
        return out
    }

    // MARK: Bytes

    static func find(_ h: [UInt8], _ n: [UInt8], from: Int) -> Int? {
        guard !n.isEmpty, from >= 0, from <= h.count - n.count else { return nil }
        return h.withUnsafeBytes { hb in
            n.withUnsafeBytes { nb -> Int? in
                // memchr to each candidate of the first byte, memcmp for the rest.
                let base = hb.baseAddress!, needle = nb.baseAddress!, first = Int32(n[0]), last = hb.count - nb.count
                var i = from
                while i <= last {
                    guard let p = memchr(base + i, first, last - i + 1) else { return nil }
                    let at = base.distance(to: UnsafeRawPointer(p))
                    if memcmp(base + at, needle, nb.count) == 0 { return at }
                    i = at + 1
                }
                return nil
            }
        }
    }

    static func matches(_ h: [UInt8], pattern n: [UInt8]) -> [Int] {
        var out: [Int] = [], i = 0
        while let m = find(h, n, from: i) { out.append(m); i = m + n.count }
        return out
    }

    static func lastMatch(_ h: [UInt8], _ n: [UInt8]) -> Int? {
        var i = h.count - n.count
        while i >= 0 {
            if h[i] == n[0], Array(h[i..<(i + n.count)]) == n { return i }
            i -= 1
        }
        return nil
    }

    static func inflate(_ input: [UInt8]) -> [UInt8]? { zlib(input, inflating: true) }
    static func deflate(_ input: [UInt8]) -> [UInt8]? { zlib(input, inflating: false) }

    /// One zlib stream over `input`, inflating or deflating, 64 KiB out at a time; nil unless it ends cleanly.
    static func zlib(_ input: [UInt8], inflating: Bool) -> [UInt8]? {
        var stream = z_stream()
        let size = Int32(MemoryLayout<z_stream>.size)
        guard (inflating ? inflateInit_(&stream, ZLIB_VERSION, size) : deflateInit_(&stream, Z_DEFAULT_COMPRESSION, ZLIB_VERSION, size)) == Z_OK else { return nil }
        defer { _ = inflating ? inflateEnd(&stream) : deflateEnd(&stream) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var input = input
        var status: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { src in
            stream.next_in = src.baseAddress
            stream.avail_in = uInt(src.count)
            repeat {
                buffer.withUnsafeMutableBufferPointer { dst in
                    stream.next_out = dst.baseAddress
                    stream.avail_out = uInt(dst.count)
                    status = inflating ? CZlib.inflate(&stream, Z_NO_FLUSH) : CZlib.deflate(&stream, Z_FINISH)
                    out += dst[0..<(dst.count - Int(stream.avail_out))]
                }
            } while status == Z_OK
        }
        return status == Z_STREAM_END ? out : nil
    }
}
