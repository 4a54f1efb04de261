import Foundation

/// The encoding of a text file, decided from all of its bytes.
enum TextEncoding: Sendable, Hashable {
    case utf8(bom: Bool)
    case utf16(bigEndian: Bool)
    case windows1252
    case latin1

    var name: String {
        switch self {
        case .utf8(let bom): bom ? "UTF-8 (BOM)" : "UTF-8"
        case .utf16(let be): be ? "UTF-16BE (BOM)" : "UTF-16LE (BOM)"
        case .windows1252: "Windows-1252"
        case .latin1: "ISO-8859-1 (ou Windows-1252)"
        }
    }

    /// Windows-1252's bytes 0x80–0x9F (0 where the code page leaves a byte undefined).
    static let cp1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    /// One line's bytes as text: UTF-8 (or already transcoded), or a one-byte encoding mapped byte by byte.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ encoding: TextEncoding) -> String {
        switch encoding {
        case .latin1, .windows1252:
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            for b in bytes {
                if b < 0x80 { out.append(b) } else { TranscodingReader.appendUTF8(b <= 0x9F ? cp1252High[Int(b - 0x80)] : UInt32(b), to: &out) }
            }
            return String(decoding: out, as: UTF8.self)
        default:
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// A first pass over the file, in blocks: a BOM decides; otherwise UTF-8 when every byte sequence is valid UTF-8,
    /// a one-byte encoding when none of its non-ASCII bytes are (Windows-1252 when it uses 0x80–0x9F, else
    /// ISO-8859-1), and a refusal, with both lines, when the file mixes them.
    static func detect(file: String) throws -> TextEncoding {
        try InputFile.requireOrdinary(file)
        guard let handle = FileHandle(forReadingAtPath: file) else { throw ImportError(.fileNotFound, file: file, "fichier illisible") }
        defer { try? handle.close() }
        let head = (try handle.read(upToCount: 4)) ?? Data()
        let h = [UInt8](head)
        if h.count >= 2, h[0] == 0xFF, h[1] == 0xFE { return .utf16(bigEndian: false) }
        if h.count >= 2, h[0] == 0xFE, h[1] == 0xFF { return .utf16(bigEndian: true) }
        let bom = h.count >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF
        try handle.seek(toOffset: 0)

        // Offsets, not lines, in the pass (lines are counted afterwards, for an error only); eight ASCII bytes at a time.
        var offset = 0
        var need = 0, lead: UInt8 = 0, seqStart = 0
        var firstInvalid: Int?, firstMultibyte: Int?, firstNul: Int?, firstUndefined: Int?
        var usesC1 = false
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
            data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                let n = raw.count
                var i = 0
                while i < n {
                    if need == 0, i + 8 <= n {
                        let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                        if w & 0x8080_8080_8080_8080 == 0, (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
                    }
                    let b = raw[i]
                    let at = offset + i
                    i += 1
                    if b == 0 && firstNul == nil { firstNul = at }
                    if b >= 0x80 && b <= 0x9F {
                        usesC1 = true
                        if cp1252High[Int(b - 0x80)] == 0 && firstUndefined == nil { firstUndefined = at }
                    }
                    if need > 0 {
                        var ok = b & 0xC0 == 0x80
                        // The second byte's narrower ranges: no overlong forms, no surrogates, nothing above U+10FFFF.
                        if ok && lead != 0 {
                            switch lead {
                            case 0xE0: ok = b >= 0xA0
                            case 0xED: ok = b <= 0x9F
                            case 0xF0: ok = b >= 0x90
                            case 0xF4: ok = b <= 0x8F
                            default: break
                            }
                            lead = 0
                        }
                        if ok {
                            need -= 1
                            if need == 0 && firstMultibyte == nil { firstMultibyte = seqStart }
                            continue
                        }
                        if firstInvalid == nil { firstInvalid = seqStart }
                        need = 0
                    }
                    if b < 0x80 { continue }
                    seqStart = at
                    lead = b
                    switch b {
                    case 0xC2...0xDF: need = 1; lead = 0
                    case 0xE0...0xEF: need = 2
                    case 0xF0...0xF4: need = 3
                    default: if firstInvalid == nil { firstInvalid = at }
                    }
                }
            }
            offset += data.count
        }
        if need > 0 && firstInvalid == nil { firstInvalid = seqStart }
        /// The line of a byte offset (CRLF, LF or CR ends a line), counted only when an error needs it.
        func lineAt(_ target: Int) throws -> Int {
            try handle.seek(toOffset: 0)
            var line = 1, prevCR = false, seen = 0
            while seen < target, let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
                for b in data.prefix(target - seen) {
                    if b == 0x0A { if !prevCR { line += 1 }; prevCR = false } else if b == 0x0D { line += 1; prevCR = true } else { prevCR = false }
                }
                seen += data.count
            }
            return line
        }
        if let nul = firstNul {
            throw ImportError(.badEncoding, file: file, location: "ligne \(try lineAt(nul))",
                              "octet nul : fichier binaire, ou UTF-16 sans marque d'ordre des octets (BOM) ; enregistrez-le en UTF-8")
        }
        if bom || firstInvalid == nil {
            if let bad = firstInvalid {
                throw ImportError(.badEncoding, file: file, location: "ligne \(try lineAt(bad))",
                                  "octets invalides en UTF-8, alors que le fichier s'annonce en UTF-8 (BOM)")
            }
            return .utf8(bom: bom)
        }
        if let multibyte = firstMultibyte, let bad = firstInvalid {
            throw ImportError(.badEncoding, file: file, location: "ligne \(try lineAt(bad))",
                              "encodages mêlés : cette ligne n'est pas en UTF-8, la ligne \(try lineAt(multibyte)) l'est ; aucune cellule n'est décodée autrement que les autres")
        }
        if let undefined = firstUndefined {
            throw ImportError(.badEncoding, file: file, location: "ligne \(try lineAt(undefined))",
                              "octet sans caractère en Windows-1252 (0x81, 0x8D, 0x8F, 0x90 ou 0x9D) : ni UTF-8, ni Windows-1252, ni ISO-8859-1")
        }
        return usesC1 ? .windows1252 : .latin1
    }
}

/// The file's bytes as UTF-8, block by block, whatever its encoding (the BOM removed).
final class TranscodingReader {
    let handle: FileHandle
    let encoding: TextEncoding
    let file: String
    var first = true
    var carry: [UInt8] = []
    var line = 1
    var pendingHigh: UInt16?
    var prevCR = false
    var done = false

    init(file: String, encoding: TextEncoding) throws {
        guard let h = FileHandle(forReadingAtPath: file) else { throw ImportError(.fileNotFound, file: file, "fichier illisible") }
        handle = h; self.encoding = encoding; self.file = file
    }

    deinit { try? handle.close() }

    /// The next block, or nil at the end.
    func next() throws -> [UInt8]? {
        guard !done else { return nil }
        guard let data = try handle.read(upToCount: 1 << 20), !data.isEmpty else {
            done = true
            if !carry.isEmpty || pendingHigh != nil {
                throw ImportError(.truncated, file: file, location: "ligne \(line)", "fichier tronqué ? il s'arrête au milieu d'un caractère UTF-16")
            }
            return nil
        }
        var bytes = [UInt8](data)
        if first {
            first = false
            switch encoding {
            case .utf8(bom: true): bytes.removeFirst(min(3, bytes.count))
            case .utf16: bytes.removeFirst(min(2, bytes.count))
            default: break
            }
        }
        switch encoding {
        case .utf8: return bytes
        case .latin1, .windows1252:
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 8)
            for b in bytes {
                if b < 0x80 { out.append(b); continue }
                let scalar = b <= 0x9F ? TextEncoding.cp1252High[Int(b - 0x80)] : UInt32(b)
                Self.appendUTF8(scalar, to: &out)
            }
            return out
        case .utf16(let bigEndian):
            bytes = carry + bytes
            carry = bytes.count % 2 == 1 ? [bytes.removeLast()] : []
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var i = 0
            while i + 1 < bytes.count {
                let unit = bigEndian ? UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]) : UInt16(bytes[i + 1]) << 8 | UInt16(bytes[i])
                i += 2
                if let high = pendingHigh {
                    pendingHigh = nil
                    guard (0xDC00...0xDFFF).contains(unit) else { throw badSurrogate() }
                    Self.appendUTF8(0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00), to: &out)
                    continue
                }
                switch unit {
                case 0xD800...0xDBFF: pendingHigh = unit
                case 0xDC00...0xDFFF: throw badSurrogate()
                case 0: throw ImportError(.badEncoding, file: file, location: "ligne \(line)", "caractère nul en UTF-16 : fichier binaire ?")
                default:
                    if unit == 0x0A { if !prevCR { line += 1 }; prevCR = false } else if unit == 0x0D { line += 1; prevCR = true } else { prevCR = false }
                    Self.appendUTF8(UInt32(unit), to: &out)
                }
            }
            return out
        }
    }

    func badSurrogate() -> ImportError {
        ImportError(.badEncoding, file: file, location: "ligne \(line)", "UTF-16 invalide (demi-paire de substitution isolée)")
    }

    static func appendUTF8(_ s: UInt32, to out: inout [UInt8]) {
        switch s {
        case 0..<0x80: out.append(UInt8(s))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (s >> 6))); out.append(UInt8(0x80 | (s & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (s >> 12))); out.append(UInt8(0x80 | ((s >> 6) & 0x3F))); out.append(UInt8(0x80 | (s & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (s >> 18))); out.append(UInt8(0x80 | ((s >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((s >> 6) & 0x3F))); out.append(UInt8(0x80 | (s & 0x3F)))
        }
    }
}
