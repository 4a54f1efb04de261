/// The one escaping of each output context. Every name, label, unit or figure that came from a file or a request
/// is hostile: it reaches a page, a map, a table or a spreadsheet only through one of these functions.
/// (OWASP ASVS 4, V5.3: output encoding for the context.)
public enum Escape {
    /// HTML text and quoted attribute values (`"` or `'`): `&`, `<`, `>`, `"`, `'` as references. Characters XML 1.0
    /// forbids (C0 controls but tab and line ends) are dropped, so that the same text is valid in SVG and XHTML too.
    public static func html(_ s: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(s.unicodeScalars.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                if u.value >= 0x20, u.value != 0xFFFE, u.value != 0xFFFF { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// XML text and attribute values: SVG maps, the sheets of a workbook, QGIS styles. The same references as HTML.
    public static func xml(_ s: String) -> String { html(s) }

    /// JSON text placed inside a page's `<script>` element or an HTML comment: `<`, `>`, `&` and the line separators
    /// written as `\u` escapes, so that no `</script>` or `<!--` can end the element early.
    public static func scriptJSON(_ json: String) -> String {
        var out = ""
        for u in json.unicodeScalars {
            switch u {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// The inside of a CSS string (`content: "…"` in a page's `<style>`): every character but letters, digits and
    /// spaces as a CSS escape, so that no quote, backslash or `</style>` can leave the string or the element.
    public static func cssString(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if u.properties.isAlphabetic || ("0"..."9").contains(u) || u == " " { out.unicodeScalars.append(u) }
            else if u.value >= 0x20 { out += "\\" + String(u.value, radix: 16) + " " }
        }
        return out
    }

    /// The characters that make a spreadsheet read a text cell as a formula (or as the start of one) when it begins
    /// with them: `=`, `+`, `-`, `@`, tab, carriage return (OWASP, CSV injection).
    public static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// A text cell of a CSV file: one that begins with a formula character is written with a leading apostrophe,
    /// as OWASP recommends, so that no spreadsheet runs it. Numbers are cells of their own and never pass here.
    public static func csvText(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, formulaStarts.contains(first) else { return s }
        return "'" + s
    }

    /// A name or message written into a log line or an answer: control characters as `?`, at most `limit` characters
    /// (a long name shortened in the middle, its extension kept).
    public static func plain(_ s: String, limit: Int = 120) -> String {
        let clean = String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
        guard clean.count > limit else { return clean }
        let keep = max(8, limit / 2 - 1)
        return String(clean.prefix(keep)) + "…" + String(clean.suffix(keep))
    }
}
