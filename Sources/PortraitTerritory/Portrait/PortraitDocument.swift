import Foundation
import PortraitModel

/// A portrait as a document (headings, paragraphs, lists, tables), written
/// out as Markdown or HTML: the same words in both.
public struct PortraitDocument: Sendable {
    public enum Block: Sendable {
        case heading(Int, String)
        case paragraph(String)
        case list([String])
        case table([String], [[String]])
    }

    public var title: String
    public var language: Language
    public var blocks: [Block]

    public init(_ p: TerritorialPortrait, language lang: Language = .fr) {
        let fr = lang == .fr
        func n(_ v: Double?) -> String { v.map { NumberText.format($0, language: lang) } ?? "—" }
        func dec(_ v: Double?, _ d: Int = 1) -> String { v.map { NumberText.format($0, decimals: d, language: lang) } ?? "—" }
        func pct(_ v: Double?) -> String { NumberText.percent(v, language: lang) }
        let levelName = p.territory.level == .region ? (fr ? "région" : "region") : "MRC"
        language = lang
        title = (fr ? "Portrait territorial : " : "Territorial portrait: ") + "\(p.territory.name) (\(levelName) \(p.territory.code))"
        var b: [Block] = [.heading(1, title)]
        if p.fictional {
            b.append(.paragraph(fr ? "**Territoire fictif** : ces données sont inventées pour la démonstration."
                                   : "**Fictional territory**: these data are invented for demonstration."))
        }
        let vintage = p.populationVintage.map(String.init) ?? "—"
        // Overview.
        var overview: String
        if fr {
            overview = "En \(vintage), le territoire compte \(n(p.populationTotal)) habitants répartis dans \(p.municipalityCount) municipalités"
            if p.territory.level == .region { overview += " et \(p.mrcCount) MRC" }
            var extras: [String] = []
            if p.tnoCount > 0 { extras.append("\(p.tnoCount) territoires non organisés") }
            if p.reserveCount > 0 { extras.append("\(p.reserveCount) réserve\(p.reserveCount > 1 ? "s" : "")") }
            overview += extras.isEmpty ? "." : ", sans compter \(extras.joined(separator: " et "))."
        } else {
            overview = "In \(vintage), the territory has \(n(p.populationTotal)) inhabitants in \(p.municipalityCount) municipalities"
            if p.territory.level == .region { overview += " and \(p.mrcCount) MRCs" }
            var extras: [String] = []
            if p.tnoCount > 0 { extras.append("\(p.tnoCount) unorganised territories") }
            if p.reserveCount > 0 { extras.append("\(p.reserveCount) reserve\(p.reserveCount > 1 ? "s" : "")") }
            overview += extras.isEmpty ? "." : ", besides \(extras.joined(separator: " and "))."
        }
        b.append(.paragraph(overview))
        let t = p.towns5000Plus
        var bullets: [String] = []
        if fr {
            bullets.append(t.count == 0 ? "Aucune municipalité de 5 000 habitants ou plus."
                : "\(t.count) municipalité\(t.count > 1 ? "s" : "") de 5 000 habitants ou plus (\(t.names.joined(separator: ", "))) regroupe\(t.count > 1 ? "nt" : "") \(pct(t.populationShare)) de la population.")
            bullets.append("Les municipalités de moins de 3 000 habitants regroupent \(pct(p.under3000PopulationShare)) de la population.")
        } else {
            bullets.append(t.count == 0 ? "No municipality of 5,000 inhabitants or more."
                : "\(t.count) municipalit\(t.count > 1 ? "ies" : "y") of 5,000 inhabitants or more (\(t.names.joined(separator: ", "))) hold\(t.count > 1 ? "" : "s") \(pct(t.populationShare)) of the population.")
            bullets.append("Municipalities under 3,000 inhabitants hold \(pct(p.under3000PopulationShare)) of the population.")
        }
        if let l = p.littoral?.portrait, let i = p.interieur?.portrait {
            bullets.append(fr
                ? "Littoral : \(l.count) municipalités, \(n(l.population)) habitants (\(pct(l.populationShare))) ; intérieur : \(i.count) municipalités, \(n(i.population)) habitants (\(pct(i.populationShare)))."
                : "Coast: \(l.count) municipalities, \(n(l.population)) inhabitants (\(pct(l.populationShare))); inland: \(i.count) municipalities, \(n(i.population)) inhabitants (\(pct(i.populationShare))).")
        }
        b.append(.list(bullets))

        // Shore and inland table.
        if let l = p.littoral?.portrait, let i = p.interieur?.portrait {
            b.append(.heading(2, fr ? "Littoral et intérieur" : "Coast and inland"))
            var header = fr ? ["", "Municipalités", "Population", "Part", "5 000 hab. et plus", "Part < 3 000 hab."]
                            : ["", "Municipalities", "Population", "Share", "5,000+ towns", "Share < 3,000"]
            var rows: [[String]] = []
            for (label, s) in [(fr ? "Littoral" : "Coast", l), (fr ? "Intérieur" : "Inland", i)] {
                var r = [label, "\(s.count)", n(s.population), pct(s.populationShare), "\(s.towns5000Plus.count)", pct(s.under3000PopulationShare)]
                for ind in s.indicators where ind.kind != .count { r.append(dec(ind.weightedMean)) }
                rows.append(r)
            }
            header += p.indicators.filter { $0.kind != .count }.map { fr ? "\($0.label) (moy. pondérée)" : "\($0.label) (weighted mean)" }
            b.append(.table(header, rows))
        }

        // By MRC.
        if let mrc = p.mrc, !mrc.isEmpty {
            b.append(.heading(2, fr ? "Par MRC" : "By MRC"))
            var header = fr ? ["MRC", "Municipalités", "Population", "Part de la région", "Littoral", "Intérieur", "5 000 hab. et plus", "Part < 3 000 hab."]
                            : ["MRC", "Municipalities", "Population", "Share of region", "Coast", "Inland", "5,000+ towns", "Share < 3,000"]
            header += p.indicators.filter { $0.kind != .count }.map(\.label)
            b.append(.table(header, mrc.map { m in
                ["\(m.territory.name) (\(m.territory.code))", "\(m.municipalityCount)", n(m.populationTotal), pct(m.populationShare),
                 "\(m.littoral?.portrait.count ?? 0)", "\(m.interieur?.portrait.count ?? 0)", "\(m.towns5000Plus.count)",
                 pct(m.under3000PopulationShare)] + m.indicators.filter { $0.kind != .count }.map { dec($0.weightedMean) }
            }))
        }

        // Indicators.
        for ind in p.indicators {
            b.append(.heading(2, "\(ind.label) (\(ind.vintage))"))
            var lines: [String] = []
            if let total = ind.total { lines.append((fr ? "Total : " : "Total: ") + n(total) + " \(ind.unit)") }
            if let m = ind.weightedMean {
                lines.append((fr ? "Moyenne pondérée par la population : " : "Population-weighted mean: ") + dec(m, 2))
            }
            if let th = ind.threshold {
                lines.append(fr ? "\(th.municipalities) territoires \(th.label), \(n(th.population)) habitants (\(pct(th.populationShare)) de la population)."
                                : "\(th.municipalities) territories \(th.label), \(n(th.population)) inhabitants (\(pct(th.populationShare)) of the population).")
            }
            lines.append(fr ? "\(ind.withValue) territoires avec une valeur, \(ind.suppressed.count) confidentielles, \(ind.withoutValue.count) sans valeur."
                            : "\(ind.withValue) territories with a value, \(ind.suppressed.count) suppressed, \(ind.withoutValue.count) without value.")
            b.append(.list(lines))
            let method = fr ? (ind.kind == .quintile ? "quintiles publiés" : "quintiles de l'ensemble des valeurs importées")
                            : (ind.kind == .quintile ? "published quintiles" : "quintiles of all imported values")
            b.append(.table([fr ? "Classe (\(method))" : "Class (\(method))", fr ? "Territoires" : "Territories",
                             fr ? "Part des territoires" : "Share of territories", "Population", fr ? "Part de la population" : "Share of population"],
                            ind.classes.map { [$0.label, "\($0.municipalities)", pct($0.municipalityShare), n($0.population), pct($0.populationShare)] }))
        }

        // Missing data.
        b.append(.heading(2, fr ? "Données manquantes" : "Missing data"))
        var gaps: [String] = []
        if !p.missing.withoutPopulation.isEmpty {
            gaps.append((fr ? "Sans population (exclus des parts) : " : "Without population (left out of shares): ")
                        + p.missing.withoutPopulation.map { "\($0.name) (\($0.code))" }.joined(separator: ", "))
        }
        for (name, codes) in p.missing.suppressed.sorted(by: { $0.key < $1.key }) {
            gaps.append((fr ? "\(name) : valeurs confidentielles pour " : "\(name): suppressed for ") + codes.joined(separator: ", "))
        }
        for (name, codes) in p.missing.withoutValue.sorted(by: { $0.key < $1.key }) {
            gaps.append((fr ? "\(name) : sans valeur pour " : "\(name): no value for ") + codes.joined(separator: ", "))
        }
        if gaps.isEmpty { gaps.append(fr ? "Aucune : chaque territoire a ses valeurs." : "None: every territory has its values.") }
        b.append(.list(gaps))
        b.append(.paragraph(fr ? "Sources : limites du MRNF (SDA) ; population et indicateurs tels qu'importés (voir le journal des importations). Parts exprimées sur la population connue."
                               : "Sources: MRNF boundaries (SDA); population and indicators as imported (see the imports log). Shares are of the known population."))
        blocks = b
    }

    public var markdown: String {
        var out = ""
        for block in blocks {
            switch block {
            case .heading(let l, let t): out += String(repeating: "#", count: l) + " " + t + "\n\n"
            case .paragraph(let t): out += t + "\n\n"
            case .list(let items): out += items.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
            case .table(let h, let rows):
                func row(_ cells: [String]) -> String { "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |" }
                out += row(h) + "\n" + "|" + h.enumerated().map { i, _ in i == 0 ? "---" : "---:" }.joined(separator: "|") + "|\n"
                out += rows.map(row).joined(separator: "\n") + "\n\n"
            }
        }
        return out
    }

    public var html: String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        func inline(_ s: String) -> String {
            // **bold** only.
            let parts = esc(s).components(separatedBy: "**")
            return parts.enumerated().map { $0.offset % 2 == 1 ? "<strong>\($0.element)</strong>" : $0.element }.joined()
        }
        var out = """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head><meta charset="utf-8"><title>\(esc(title))</title>
        <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
        table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem}
        td:not(:first-child){text-align:right}th{background:#f2f2f2}</style></head>
        <body>

        """
        for block in blocks {
            switch block {
            case .heading(let l, let t): out += "<h\(l)>\(inline(t))</h\(l)>\n"
            case .paragraph(let t): out += "<p>\(inline(t))</p>\n"
            case .list(let items): out += "<ul>\n" + items.map { "<li>\(inline($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
            case .table(let h, let rows):
                out += "<table>\n<thead><tr>" + h.map { "<th scope=\"col\">\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
                out += rows.map { "<tr>" + $0.map { "<td>\(esc($0))</td>" }.joined() + "</tr>" }.joined(separator: "\n") + "\n</tbody>\n</table>\n"
            }
        }
        return out + "</body>\n</html>\n"
    }
}
