import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial
import PortraitTerritory

/// The map of a plan's territories, each coloured by the share of its targets achieved or on track (among
/// its targets with a status other than « sans donnée »); a territory without any, hatched grey.
public enum PlanMap {
    /// Five classes of 20 points, light to dark (ColorBrewer Greens, 5 classes).
    public static let palette = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"]

    static func classOf(_ share: Double) -> Int { min(4, Int((share * 100).rounded(.down) / 20)) }

    /// The SVG, or nil when the store holds none of the territories' outlines.
    public static func svg(_ d: PlanDashboard, store: any TerritoryStore, width: Double = 720) throws -> String? {
        let fr = d.language == .fr
        // The outline of each summarised territory (the plan's own is drawn beneath as the frame).
        var drawn: [(summary: TerritorySummary, unit: TerritorialUnit)] = []
        for s in d.summaries where s.role != "plan" {
            guard let level = s.level, let code = s.code, let u = try store.unit(level, code: code), !u.geometry.polygons.isEmpty else { continue }
            drawn.append((s, u))
        }
        guard !drawn.isEmpty else { return nil }
        let project = Projection(from: .wgs84, to: .quebecLambert)
        let shapes = try project(drawn.map { Geometry.multiPolygon($0.unit.geometry) })
        guard let extent = shapes.compactMap(\.bbox).reduce(nil as BBox?, { $0?.union($1) ?? $1 }) else { return nil }
        let legendW = 230.0, margin = 14.0, top = 80.0
        let mapW = width - legendW - 3 * margin
        let scale = min(mapW / max(extent.width, 1), 420 / max(extent.height, 1))
        let mapH = extent.height * scale
        // The sources, one per line, each wrapped at the map's width (9 px DejaVu Sans: about 5.3 px a character).
        let columns = Int((width - 2 * margin) / 5.3)
        let sourceLines = Self.wrap((fr ? "Sources : " : "Sources: ") + d.sources.joined(separator: " ; "), columns: columns)
        let footer = Double(sourceLines.count + 1) * 12 + 8
        let height = max(top + mapH + 32 + footer, top + 236)
        func px(_ g: Geometry) -> Geometry {
            g.mapPositions { Position(margin + ($0.x - extent.minX) * scale, top + (extent.maxY - $0.y) * scale) }
        }
        let heading = fr ? "Cibles en bonne voie par territoire" : "Targets on track by territory"
        let title = heading + " — " + d.plan.title
        let subtitle = fr ? "Part des cibles atteintes ou en bonne voie, au \(d.asOf)" : "Share of targets achieved or on track, as of \(d.asOf)"
        var desc: [String] = []
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(SVG.n(width)) \(SVG.n(height))" width="\(SVG.n(width))" height="\(SVG.n(height))" role="img" aria-labelledby="plan-carte-titre plan-carte-desc" font-family="DejaVu Sans, sans-serif">
        <title id="plan-carte-titre">\(SVG.esc(title))</title>

        """
        var body = "<defs><pattern id=\"plan-sans-donnee\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f0f0f0\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8a8a8a\" stroke-width=\"1.5\"/></pattern></defs>\n"
        body += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
        body += "<text x=\"\(SVG.n(margin))\" y=\"24\" font-size=\"16\" font-weight=\"bold\" fill=\"#222\">\(SVG.esc(heading))</text>\n"
        body += "<text x=\"\(SVG.n(margin))\" y=\"44\" font-size=\"12\" fill=\"#222\">\(SVG.esc(d.plan.title))</text>\n"
        body += "<text x=\"\(SVG.n(margin))\" y=\"62\" font-size=\"12\" fill=\"#444\">\(SVG.esc(subtitle))</text>\n"
        for (i, item) in drawn.enumerated() {
            let s = item.summary
            let fill = s.onTrackShare.map { palette[classOf($0)] } ?? "url(#plan-sans-donnee)"
            let share = s.onTrackShare.map { NumberText.percent($0, language: d.language) } ?? (fr ? "sans donnée" : "no data")
            let what = "\(s.name)\(fr ? " : " : ": ")\(share) (\(s.onTrack) / \(s.measured))"
            desc.append(what)
            body += "<path data-code=\"\(SVG.esc(s.code ?? s.territory))\" data-value=\"\(s.onTrackShare.map { NumberFormat.fixed($0 * 100, 1) } ?? "")\" data-class=\"\(s.onTrackShare.map { String(classOf($0) + 1) } ?? "")\" d=\"\(SVG.path(px(shapes[i])))\" fill=\"\(fill)\" stroke=\"#333\" stroke-width=\"0.8\"><title>\(SVG.esc(s.name))</title></path>\n"
        }
        // Each territory named at the centre of its largest inscribed circle (its unit's name: the MRC a committee works in).
        var placed: [BBox] = []
        for (i, item) in drawn.enumerated() {
            guard let (c, _) = try? px(shapes[i]).maximumInscribedCircle(tolerance: 0.5) else { continue }
            let name = item.unit.name, w = Double(name.count) * 11 * 0.58
            let box = BBox(minX: c.x - w / 2, minY: c.y - 8, maxX: c.x + w / 2, maxY: c.y + 8)
            guard !placed.contains(where: { $0.intersects(box) }) else { continue }
            placed.append(box)
            body += "<text x=\"\(SVG.n(c.x))\" y=\"\(SVG.n(c.y))\" font-size=\"11\" text-anchor=\"middle\" dominant-baseline=\"central\" fill=\"#111\" stroke=\"#fff\" stroke-width=\"2.5\" paint-order=\"stroke\" data-label=\"\(SVG.esc(item.summary.code ?? ""))\">\(SVG.esc(name))</text>\n"
        }
        // Legend.
        let lx = width - legendW - margin
        body += "<text x=\"\(SVG.n(lx))\" y=\"\(SVG.n(top + 6))\" font-size=\"12\" font-weight=\"bold\" fill=\"#222\">\(fr ? "Cibles en bonne voie" : "Targets on track")</text>\n"
        let labels = ["0 – 20 %", "20 – 40 %", "40 – 60 %", "60 – 80 %", "80 – 100 %"]
        for (k, c) in palette.enumerated() {
            let y = top + 18 + Double(k) * 22
            body += "<rect x=\"\(SVG.n(lx))\" y=\"\(SVG.n(y))\" width=\"22\" height=\"16\" fill=\"\(c)\" stroke=\"#333\" stroke-width=\"0.5\"/><text x=\"\(SVG.n(lx + 30))\" y=\"\(SVG.n(y + 12))\" font-size=\"11\" fill=\"#222\">\(labels[k].replacingOccurrences(of: " %", with: fr ? " %" : "%"))</text>\n"
        }
        let y = top + 18 + 5 * 22
        body += "<rect x=\"\(SVG.n(lx))\" y=\"\(SVG.n(y))\" width=\"22\" height=\"16\" fill=\"url(#plan-sans-donnee)\" stroke=\"#333\" stroke-width=\"0.5\"/><text x=\"\(SVG.n(lx + 30))\" y=\"\(SVG.n(y + 12))\" font-size=\"11\" fill=\"#222\">\(fr ? "Aucune cible mesurée" : "No target measured")</text>\n"
        body += "<text x=\"\(SVG.n(lx))\" y=\"\(SVG.n(y + 40))\" font-size=\"10\" fill=\"#444\">\(fr ? "Cibles atteintes ou en bonne voie" : "Targets achieved or on track")</text>\n"
        body += "<text x=\"\(SVG.n(lx))\" y=\"\(SVG.n(y + 54))\" font-size=\"10\" fill=\"#444\">\(fr ? "parmi les cibles mesurées." : "among the targets measured.")</text>\n"
        for (i, line) in sourceLines.enumerated() {
            let y = height - 10 - Double(sourceLines.count - i) * 12
            body += "<text x=\"\(SVG.n(margin))\" y=\"\(SVG.n(y))\" font-size=\"9\" fill=\"#555\">\(SVG.esc(line))</text>\n"
        }
        body += "<text x=\"\(SVG.n(margin))\" y=\"\(SVG.n(height - 10))\" font-size=\"9\" fill=\"#555\">Projection NAD83 / Québec Lambert (EPSG:32198) · \(fr ? "couleurs" : "colours") ColorBrewer Greens</text>\n"
        out += "<desc id=\"plan-carte-desc\">\(SVG.esc(subtitle + ". " + desc.joined(separator: " ; ") + "."))</desc>\n" + body + "</svg>\n"
        return out
    }

    /// Splits `text` at spaces into lines of at most `columns` characters (a longer word stays whole on its line).
    static func wrap(_ text: String, columns: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if line.isEmpty { line = String(word) } else if line.count + 1 + word.count <= columns { line += " " + word } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
