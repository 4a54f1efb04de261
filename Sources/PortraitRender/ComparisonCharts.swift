import Foundation
import PortraitModel
import PortraitTerritory

/// Small comparison charts, as SVG, accessible like the maps (a `<title>`, a `<desc>` that says every value, `role="img"`):
/// a dot plot of a territory against its references (MRC, region, store) for each figure that is a rate, an index or a
/// share, and a bar chart of the MRC of a region. Each row of the dot plot has its own scale (its figures' units differ);
/// a figure without a value is left out and said so in the description, never drawn at zero.
public enum ComparisonCharts {
    static let width = 640.0, labelWidth = 210.0, right = 24.0
    static let colours = ["#08519c", "#e6550d", "#31a354", "#756bb1"]
    static let shapes = ["circle", "square", "diamond", "triangle"]

    static func marker(_ shape: String, x: Double, y: Double, colour: String, filled: Bool) -> String {
        let fill = filled ? colour : "#ffffff"
        switch shape {
        case "square": return "<rect x=\"\(SVG.n(x - 4.5))\" y=\"\(SVG.n(y - 4.5))\" width=\"9\" height=\"9\" fill=\"\(fill)\" stroke=\"\(colour)\" stroke-width=\"1.6\"/>"
        case "diamond": return "<path d=\"M\(SVG.n(x)) \(SVG.n(y - 6))l6 6l-6 6l-6 -6z\" fill=\"\(fill)\" stroke=\"\(colour)\" stroke-width=\"1.6\"/>"
        case "triangle": return "<path d=\"M\(SVG.n(x)) \(SVG.n(y - 6))l6 10.5h-12z\" fill=\"\(fill)\" stroke=\"\(colour)\" stroke-width=\"1.6\"/>"
        default: return "<circle cx=\"\(SVG.n(x))\" cy=\"\(SVG.n(y))\" r=\"5.5\" fill=\"\(fill)\" stroke=\"\(colour)\" stroke-width=\"1.6\"/>"
        }
    }

    /// The territory (filled) against each reference (hollow), one row per figure that is not a count. Nil when there
    /// is no reference or no such figure with a value.
    public static func dotPlot(_ c: Comparison, territory: String, language lang: Language, id: String = "comparaison") -> String? {
        let fr = lang == .fr
        let figures = c.figures.filter { $0.kind != .count && $0.value != nil && $0.references.contains { $0.value != nil } }
        guard !c.references.isEmpty, !figures.isEmpty else { return nil }
        let series = [territory] + c.references.map(\.name)
        let rowHeight = 34.0, top = 58.0 + 18 * Double((series.count + 1) / 2)
        let height = top + rowHeight * Double(figures.count) + 14
        let title = fr ? "\(territory) et ses territoires de référence" : "\(territory) and its reference territories"
        var described: [String] = []
        var body = ""
        for (i, f) in figures.enumerated() {
            let y = top + rowHeight * Double(i) + rowHeight / 2
            let values = [f.value] + f.references.map(\.value)
            let known = values.compactMap { $0 }
            var lo = known.min()!, hi = known.max()!
            if hi - lo < 1e-9 { lo -= 1; hi += 1 }
            let pad = (hi - lo) * 0.12
            lo -= pad; hi += pad
            func x(_ v: Double) -> Double { labelWidth + (v - lo) / (hi - lo) * (width - labelWidth - right) }
            let year = (f.year ?? f.vintage).map { " (\($0))" } ?? ""
            body += "<text class=\"libelle\" x=\"\(SVG.n(labelWidth - 10))\" y=\"\(SVG.n(y + 4))\" text-anchor=\"end\">\(SVG.esc(short(f.label + year, 34)))</text>"
            body += "<line x1=\"\(SVG.n(labelWidth))\" x2=\"\(SVG.n(width - right))\" y1=\"\(SVG.n(y))\" y2=\"\(SVG.n(y))\" stroke=\"#cccccc\"/>"
            var words: [String] = []
            for (k, v) in values.enumerated() {
                let text = v.map { Sentences.value($0, kind: f.kind, unit: f.unit, language: lang) }
                words.append("\(series[k]) " + (text ?? (fr ? "sans valeur" : "no value")))
                guard let v else { continue }
                body += marker(shapes[k % shapes.count], x: x(v), y: y, colour: colours[k % colours.count], filled: k == 0)
            }
            // The territory's value written beside its dot.
            if let v = f.value {
                body += "<text class=\"valeur\" x=\"\(SVG.n(x(v)))\" y=\"\(SVG.n(y - 9))\" text-anchor=\"middle\">\(SVG.esc(Sentences.value(v, kind: f.kind, unit: f.unit, language: lang)))</text>"
            }
            described.append(f.label + year + " : " + words.joined(separator: ", "))
        }
        // The legend: one marker per territory.
        var legend = ""
        for (k, name) in series.enumerated() {
            let lx = 16 + Double(k % 2) * 300, ly = 50 + Double(k / 2) * 18
            legend += marker(shapes[k % shapes.count], x: lx + 6, y: ly, colour: colours[k % colours.count], filled: k == 0)
            legend += "<text class=\"libelle\" x=\"\(SVG.n(lx + 18))\" y=\"\(SVG.n(ly + 4))\">\(SVG.esc(short(name, 44)))</text>"
        }
        let note = fr ? "Chaque ligne a sa propre échelle." : "Each row has its own scale."
        return document(id: id, title: title, subtitle: note, description: described.joined(separator: " ; ") + ".", height: height, body: legend + body)
    }

    /// Horizontal bars, largest first: the MRC of a region by population, or any count. Nil with fewer than two values.
    public static func bars(title: String, rows: [(name: String, value: Double?)], kind: IndicatorKind, unit: String, language lang: Language,
                            id: String = "barres") -> String? {
        let fr = lang == .fr
        let known = rows.compactMap { r in r.value.map { (r.name, $0) } }.sorted { $0.1 > $1.1 }
        guard known.count > 1, let top = known.first?.1, top > 0 else { return nil }
        let missing = rows.filter { $0.value == nil }.map(\.name)
        let rowHeight = 22.0, start = 52.0
        let height = start + rowHeight * Double(known.count) + (missing.isEmpty ? 10 : 28)
        var body = ""
        for (i, r) in known.enumerated() {
            let y = start + rowHeight * Double(i)
            let w = (width - labelWidth - 90) * r.1 / top
            body += "<text class=\"libelle\" x=\"\(SVG.n(labelWidth - 10))\" y=\"\(SVG.n(y + 14))\" text-anchor=\"end\">\(SVG.esc(short(r.0, 34)))</text>"
            body += "<rect x=\"\(SVG.n(labelWidth))\" y=\"\(SVG.n(y + 3))\" width=\"\(SVG.n(max(1, w)))\" height=\"\(SVG.n(rowHeight - 7))\" fill=\"#3182bd\"/>"
            body += "<text class=\"valeur\" x=\"\(SVG.n(labelWidth + w + 6))\" y=\"\(SVG.n(y + 14))\">\(SVG.esc(Sentences.value(r.1, kind: kind, unit: unit, language: lang)))</text>"
        }
        if !missing.isEmpty {
            body += "<text class=\"libelle\" x=\"16\" y=\"\(SVG.n(height - 10))\">\(SVG.esc((fr ? "Sans valeur : " : "No value: ") + missing.joined(separator: ", ")))</text>"
        }
        let described = known.map { "\($0.0) \(Sentences.value($0.1, kind: kind, unit: unit, language: lang))" }.joined(separator: ", ")
            + (missing.isEmpty ? "" : (fr ? " ; sans valeur : " : "; no value: ") + missing.joined(separator: ", "))
        return document(id: id, title: title, subtitle: fr ? "Du plus grand au plus petit." : "Largest first.", description: described + ".", height: height, body: body)
    }

    static func document(id: String, title: String, subtitle: String, description: String, height: Double, body: String) -> String {
        let h = SVG.n(height.rounded())
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graphique\" width=\"\(SVG.n(width))\" height=\"\(h)\" viewBox=\"0 0 \(SVG.n(width)) \(h)\" role=\"img\" "
            + "aria-labelledby=\"\(id)-titre \(id)-description\"><title id=\"\(id)-titre\">\(SVG.esc(title))</title><desc id=\"\(id)-description\">\(SVG.esc(description))</desc>"
            + "<style>text{font-family:\"DejaVu Sans\",sans-serif;fill:#222}.titre{font-size:14px;font-weight:bold}.sous-titre{font-size:10.5px;fill:#555}"
            + ".libelle{font-size:10.5px}.valeur{font-size:10px;fill:#333}</style>"
            + "<text class=\"titre\" x=\"16\" y=\"20\"\(SVGDocument.fit(title, size: 14, bold: true, width: width))>\(SVG.esc(title))</text>"
            + "<text class=\"sous-titre\" x=\"16\" y=\"36\">\(SVG.esc(subtitle))</text>" + body + "</svg>"
    }

    static func short(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }

    static func list(_ items: [String], _ fr: Bool) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + (fr ? " et " : " and ") + items.last!
    }
}
