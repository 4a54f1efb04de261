import Foundation
import PortraitModel
import PortraitRender
import PortraitTerritory

/// A plan's « tableau de bord » as a page (HTML, printed to PDF), as a table (CSV, XLSX) and as the annual
/// activity report of one year.
public enum PlanPage {
    /// The year an annual activity report covers, with the statuses at the end of the year before.
    public struct Annual: Sendable {
        public var year: Int
        public var previous: PlanDashboard
        public init(year: Int, previous: PlanDashboard) { self.year = year; self.previous = previous }
    }

    static func esc(_ s: String) -> String { Escape.html(s) }

    static func number(_ v: Double?, _ l: Language) -> String {
        guard let v else { return "—" }
        let decimals = v == v.rounded() ? 0 : abs(v * 10 - (v * 10).rounded()) < 1e-9 ? 1 : 2
        return NumberText.format(v, decimals: decimals, language: l)
    }

    static func valueText(_ v: Double?, _ t: PlanTarget, _ l: Language) -> String {
        guard let v else { return "—" }
        return number(v, l) + (t.unit == "%" ? " %" : t.unit.map { " " + $0 } ?? "")
    }

    /// Symbol and classes of a status badge: the words carry it, the colour and the symbol repeat it.
    static func badge(_ s: ProgressStatus, _ l: Language) -> String {
        let symbol: String = switch s {
        case .achieved: "✔"; case .onTrack: "↗"; case .watch: "!"; case .late: "✖"; case .noData: "∅"
        }
        return "<span class=\"statut s-\(s.rawValue)\"><span aria-hidden=\"true\">\(symbol) </span>\(esc(s.label(l)))</span>"
    }

    static let css = """
        body{font-family:"DejaVu Sans",system-ui,sans-serif;max-width:64rem;margin:1.5rem auto;padding:0 1rem;color:#222;line-height:1.4}
        h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin:1.6rem 0 .4rem;border-bottom:2px solid #ccc}h3{font-size:1.05rem;margin:1rem 0 .3rem}
        table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem;width:100%}th,td{border:1px solid #bbb;padding:.25rem .45rem;vertical-align:top;text-align:left}
        th{background:#f0f0f0}td.n{text-align:right;white-space:nowrap}thead{display:table-header-group}tr{break-inside:avoid}
        .statut{display:inline-block;padding:.05rem .45rem;border-radius:.7rem;font-size:.85rem;font-weight:bold;white-space:nowrap;border:1px solid}
        .s-atteinte{background:#d8f0de;color:#0b4d1f;border-color:#0b4d1f}.s-en_bonne_voie{background:#dbe8fb;color:#123a7a;border-color:#123a7a}
        .s-a_surveiller{background:#fff1c7;color:#5c4300;border-color:#5c4300}.s-en_retard{background:#f9d9dc;color:#7a1420;border-color:#7a1420}
        .s-sans_donnee{background:#ececec;color:#333;border-color:#555}
        .cible{border:1px solid #ccc;border-radius:.4rem;padding:.4rem .8rem;margin:.8rem 0;break-inside:avoid}
        .cible-entete{display:flex;gap:1rem;align-items:flex-start;flex-wrap:wrap}.cible-entete>div{flex:1 1 22rem}
        .graphe{flex:0 0 auto}.raison{font-size:.85rem;color:#333;margin:.2rem 0}.meta{font-size:.85rem;color:#444;margin:.1rem 0}
        .synthetique{border:2px solid #7a1420;background:#fff4f4;padding:.4rem .8rem;font-weight:bold}
        form.filtres{display:flex;gap:1rem;flex-wrap:wrap;align-items:flex-end;margin:.8rem 0;padding:.5rem;background:#f6f6f6;border:1px solid #ddd}
        form.filtres label{display:flex;flex-direction:column;font-size:.85rem}form.filtres select,form.filtres input,form.filtres button{font:inherit;padding:.2rem}
        .carte svg{width:100%;height:auto}.telechargements a{margin-right:.8rem}h2,h3{break-after:avoid;page-break-after:avoid}
        @page{size:letter;margin:15mm 13mm 17mm 13mm;@bottom-right{content:counter(page) " / " counter(pages);font-size:9pt;color:#555;white-space:nowrap;width:16mm}}
        @media print{form.filtres,.telechargements{display:none}body{max-width:none;margin:0;padding:0}table{font-size:8pt}}
        """

    /// A small chart of one territory's measurements against the target line (and the path from the baseline).
    static func chart(_ s: TargetStatus, _ t: PlanTarget, plan: Plan, _ l: Language, id: String) -> String {
        let fr = l == .fr
        let points = s.measurements.compactMap { m in PlanDate(m.date).map { (d: $0, v: m.value) } }.sorted { $0.d < $1.d }
        let target = t.target ?? s.progress.baseline
        let firstYear = [plan.start, points.first?.d.year, s.progress.baselineDate.flatMap(PlanDate.init)?.year].compactMap { $0 }.min() ?? 2020
        let lastYear = max(t.deadline ?? plan.end ?? firstYear + 1, points.last?.d.year ?? firstYear, firstYear + 1)
        let w = 220.0, h = 84.0, left = 34.0, right = 8.0, top = 8.0, bottom = 18.0
        let values = points.map(\.v) + [target, s.progress.baseline].compactMap { $0 }
        var lo = min(0, values.min() ?? 0), hi = values.max() ?? 1
        if hi <= lo { hi = lo + 1 }
        let pad = (hi - lo) * 0.08
        lo = lo < 0 ? lo - pad : lo; hi += pad
        let x0 = PlanDate.startOf(firstYear).dayNumber, x1 = PlanDate.endOf(lastYear).dayNumber
        func x(_ d: PlanDate) -> Double { left + Double(d.dayNumber - x0) / Double(max(1, x1 - x0)) * (w - left - right) }
        func y(_ v: Double) -> Double { top + (hi - v) / (hi - lo) * (h - top - bottom) }
        let unit = t.unit == "%" ? " %" : t.unit.map { " " + $0 } ?? ""
        let label = (fr ? "Mesures de « \(t.indicator) » — \(s.territoryName)" : "Measurements of “\(t.indicator)” — \(s.territoryName)")
        let described = points.isEmpty ? (fr ? "aucune mesure" : "no measurement")
            : points.map { "\($0.d) : \(number($0.v, l))\(unit)" }.joined(separator: " ; ")
        let targetWords = target.map { (fr ? "cible " : "target ") + t.direction.symbol + " " + number($0, l) + unit } ?? ""
        var out = "<svg class=\"graphe\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\">"
        out += "<title id=\"\(id)-t\">\(esc(label))</title><desc id=\"\(id)-d\">\(esc(described + (targetWords.isEmpty ? "" : " ; " + targetWords)))</desc>"
        out += "<rect x=\"\(Int(left))\" y=\"\(Int(top))\" width=\"\(Int(w - left - right))\" height=\"\(Int(h - top - bottom))\" fill=\"#fafafa\" stroke=\"#ccc\"/>"
        for v in [lo < 0 ? lo : 0, hi - pad] {
            out += "<text x=\"\(Int(left - 3))\" y=\"\(String(format: "%.1f", y(v) + 3))\" font-size=\"8\" text-anchor=\"end\" fill=\"#444\">\(esc(number((v * 10).rounded() / 10, l)))</text>"
        }
        out += "<text x=\"\(Int(left))\" y=\"\(Int(h - 5))\" font-size=\"8\" fill=\"#444\">\(firstYear)</text><text x=\"\(Int(w - right))\" y=\"\(Int(h - 5))\" font-size=\"8\" text-anchor=\"end\" fill=\"#444\">\(lastYear)</text>"
        if let target {
            // The target line (dashed), and the path from the baseline to the target at the deadline (dotted).
            out += "<line x1=\"\(Int(left))\" x2=\"\(Int(w - right))\" y1=\"\(String(format: "%.1f", y(target)))\" y2=\"\(String(format: "%.1f", y(target)))\" stroke=\"#7a1420\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>"
            if t.recurrence == .none, let b = s.progress.baseline, let bd = s.progress.baselineDate.flatMap(PlanDate.init), let dl = t.deadline {
                out += "<line x1=\"\(String(format: "%.1f", x(bd)))\" y1=\"\(String(format: "%.1f", y(b)))\" x2=\"\(String(format: "%.1f", x(.endOf(dl))))\" y2=\"\(String(format: "%.1f", y(target)))\" stroke=\"#777\" stroke-width=\"1\" stroke-dasharray=\"1 2\"/>"
            }
        }
        if points.count > 1 {
            out += "<polyline fill=\"none\" stroke=\"#123a7a\" stroke-width=\"1.8\" points=\"" + points.map { String(format: "%.1f,%.1f", x($0.d), y($0.v)) }.joined(separator: " ") + "\"/>"
        }
        for p in points { out += "<circle cx=\"\(String(format: "%.1f", x(p.d)))\" cy=\"\(String(format: "%.1f", y(p.v)))\" r=\"2.6\" fill=\"#123a7a\"/>" }
        return out + "</svg>"
    }

    /// The dashboard page. `map`: the plan's map (SVG) when the store holds its territories' outlines.
    /// `links`: the page's downloads (the served page's other formats). `annual`: the year's activity report.
    public static func html(_ d: PlanDashboard, map: String?, links: [(label: String, href: String)] = [], annual: Annual? = nil) -> String {
        let l = d.language, fr = l == .fr
        let title = annual.map { (fr ? "Rapport annuel d'activité \($0.year) — " : "Annual activity report \($0.year) — ") + d.plan.title }
            ?? (fr ? "Tableau de bord — " : "Dashboard — ") + d.plan.title
        var o = "<!DOCTYPE html>\n<html lang=\"\(l.rawValue)\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        o += "<title>\(esc(title))</title>\n<style>\(css)\n@page{@bottom-left{content:\"\(Escape.cssString(d.plan.title))\";font-size:7pt;color:#555}}</style></head>\n<body>\n<main>\n"
        o += "<h1>\(esc(title))</h1>\n"
        let period = [d.plan.start, d.plan.end].compactMap { $0 }.map(String.init).joined(separator: "–")
        o += "<p class=\"meta\">" + esc(d.mobilisation?.name ?? d.plan.mobilisationID) + (period.isEmpty ? "" : " · " + (fr ? "période " : "period ") + period)
            + " · " + (fr ? "situation au " : "as of ") + esc(d.asOf) + " · <a href=\"#regle\">" + (fr ? "règle de progression" : "progress rule") + "</a></p>\n"
        if d.synthetic {
            o += "<p class=\"synthetique\">" + (fr ? "Données SYNTHÉTIQUES : mesures fictives pour essai et démonstration, non publiables."
                                                 : "SYNTHETIC data: fictional measurements for testing and demonstration, not for publication.") + "</p>\n"
        }
        if !links.isEmpty {
            o += "<p class=\"telechargements\">" + (fr ? "Télécharger : " : "Download: ") + links.map { "<a href=\"\(esc($0.href))\">\(esc($0.label))</a>" }.joined() + "</p>\n"
        }
        // Filters (GET: the served page filters; the script filters a saved page in place).
        o += "<form class=\"filtres\" method=\"get\" aria-label=\"\(fr ? "Filtres" : "Filters")\">\n"
        o += "<label>\(fr ? "Axe" : "Axis")<select name=\"axe\" id=\"filtre-axe\"><option value=\"\">\(fr ? "Tous les axes" : "All axes")</option>"
        for a in d.axes { o += "<option\(a == d.axisFilter ? " selected" : "")>\(esc(a))</option>" }
        o += "</select></label>\n<label>\(fr ? "Territoire" : "Territory")<select name=\"territoire\" id=\"filtre-territoire\"><option value=\"\">\(fr ? "Tous les territoires" : "All territories")</option>"
        for s in d.summaries where s.role != "plan" {
            o += "<option value=\"\(esc(s.territory))\"\(s.territory == d.territoryFilter ? " selected" : "")>\(esc(s.name))</option>"
        }
        o += "</select></label>\n<label>\(fr ? "Situation au" : "As of")<input type=\"date\" name=\"date\" value=\"\(esc(PlanDate(d.asOf).map { String(format: "%04d-%02d-%02d", $0.year, $0.month, $0.day) } ?? d.asOf))\"></label>\n"
        o += "<button type=\"submit\">\(fr ? "Afficher" : "Show")</button>\n</form>\n"
        if d.axisFilter != nil || d.territoryFilter != nil {
            o += "<p class=\"meta\">" + (fr ? "Filtré : " : "Filtered: ") + esc([d.axisFilter.map { (fr ? "axe " : "axis ") + $0 },
                                                                               d.territoryFilter.map { t in d.summaries.first { $0.territory == t }?.name ?? t }].compactMap { $0 }.joined(separator: ", ")) + "</p>\n"
        }
        // Summary by territory.
        o += "<h2 id=\"synthese\">" + (fr ? "Synthèse par territoire" : "Summary by territory") + "</h2>\n"
        o += "<table>\n<caption class=\"meta\">" + (fr ? "Nombre de cibles par statut, pour le plan et chaque concertation locale"
                                                    : "Number of targets by status, for the plan and each local concertation") + "</caption>\n<thead><tr><th scope=\"col\">" + (fr ? "Territoire" : "Territory") + "</th>"
        for s in ProgressStatus.allCases { o += "<th scope=\"col\">\(esc(s.label(l).prefix(1).uppercased() + s.label(l).dropFirst()))</th>" }
        o += "<th scope=\"col\">" + (fr ? "En bonne voie ou atteintes" : "On track or achieved") + "</th></tr></thead>\n<tbody>\n"
        for s in d.summaries {
            o += "<tr data-territoire=\"\(esc(s.territory))\"><th scope=\"row\">\(esc(s.name))\(s.role == "plan" ? (fr ? " (plan)" : " (plan)") : "")</th>"
            for st in ProgressStatus.allCases { o += "<td class=\"n\">\(s.counts[st.rawValue] ?? 0)</td>" }
            o += "<td class=\"n\">" + (s.onTrackShare.map { "\(NumberText.percent($0, language: l)) (\(s.onTrack) / \(s.measured))" } ?? "—") + "</td></tr>\n"
        }
        o += "</tbody>\n</table>\n"
        if let map {
            o += "<div class=\"carte\">\n\(map)</div>\n"
        } else {
            o += "<p class=\"meta\">" + (fr ? "Carte : les contours des territoires du plan ne sont pas dans le magasin."
                                        : "Map: the outlines of the plan's territories are not in the store.") + "</p>\n"
        }
        // The year's measurements and status changes (annual report).
        if let a = annual {
            o += "<h2 id=\"annee\">" + (fr ? "L'année \(a.year)" : "The year \(a.year)") + "</h2>\n"
            var changes: [String] = []
            var recorded: [(String, String, String, String)] = []
            for r in d.targets {
                let before = a.previous.targets.first { $0.target.id == r.target.id }
                for s in [r.plan] + r.territories {
                    let was = before.flatMap { b in ([b.plan] + b.territories).first { $0.territory == s.territory } }?.status ?? .noData
                    if was != s.status {
                        changes.append("<li>\(esc(r.target.indicator)) — \(esc(s.territoryName)) : \(badge(was, l)) → \(badge(s.status, l))</li>")
                    }
                    for m in s.measurements where PlanDate(m.date)?.year == a.year {
                        recorded.append((r.target.indicator, s.territoryName, m.date, valueText(m.value, r.target, l)))
                    }
                }
            }
            o += "<p>" + (fr ? "\(recorded.count) mesure(s) datée(s) de \(a.year) ; \(changes.count) changement(s) de statut depuis le 31 décembre \(a.year - 1)."
                             : "\(recorded.count) measurement(s) dated \(a.year); \(changes.count) status change(s) since 31 December \(a.year - 1).") + "</p>\n"
            if !changes.isEmpty { o += "<h3>" + (fr ? "Changements de statut" : "Status changes") + "</h3>\n<ul>\n" + changes.joined(separator: "\n") + "\n</ul>\n" }
            if !recorded.isEmpty {
                o += "<h3>" + (fr ? "Mesures de l'année" : "The year's measurements") + "</h3>\n<table>\n<thead><tr><th scope=\"col\">" + (fr ? "Cible" : "Target")
                    + "</th><th scope=\"col\">" + (fr ? "Territoire" : "Territory") + "</th><th scope=\"col\">Date</th><th scope=\"col\">" + (fr ? "Valeur" : "Value") + "</th></tr></thead>\n<tbody>\n"
                for r in recorded { o += "<tr><td>\(esc(r.0))</td><td>\(esc(r.1))</td><td class=\"n\">\(esc(r.2))</td><td class=\"n\">\(esc(r.3))</td></tr>\n" }
                o += "</tbody>\n</table>\n"
            }
        }
        // Targets, axis by axis.
        var n = 0
        for axis in d.axes.filter({ a in d.targets.contains { $0.target.axis == a } }) + (d.targets.contains { $0.target.axis == nil } ? [""] : []) {
            o += "<section data-axe=\"\(esc(axis))\">\n<h2>\(esc(axis.isEmpty ? (fr ? "Sans axe" : "No axis") : (fr ? "Axe : " : "Axis: ") + axis))</h2>\n"
            for r in d.targets where (r.target.axis ?? "") == axis {
                let t = r.target
                n += 1
                o += "<article class=\"cible\" id=\"cible-\(esc(t.id))\">\n<div class=\"cible-entete\"><div>\n<h3>\(esc(t.indicator))</h3>\n"
                var meta = "<p class=\"meta\">" + (fr ? "Cible : " : "Target: ") + "<strong>\(esc(PlanBuilder.targetText(t, l)))</strong>"
                if let b = t.baseline {
                    meta += " · " + (fr ? "référence " : "baseline ") + esc(valueText(b, t, l)) + " (\(esc(t.baselineDate ?? "?")))"
                }
                if let r = t.rule {
                    // The indicator by its label and the rule in words, never their identifiers.
                    let label = d.indicatorLabels[r.indicator] ?? r.indicator.replacingOccurrences(of: "_", with: " ")
                    let rule = r.measure.words(r.threshold.map { number($0, l) }, l)
                    meta += " · " + (fr ? "mesurée par l'indicateur « \(esc(label)) » : \(esc(rule))" : "measured by the indicator “\(esc(label))”: \(esc(rule))")
                }
                if !t.responsible.isEmpty { meta += " · " + (fr ? "responsables : " : "responsible: ") + esc(t.responsible.joined(separator: ", ")) }
                o += meta + " · id <code>\(esc(t.id))</code></p>\n"
                let p = r.plan
                o += "<p>" + (fr ? "Plan : " : "Plan: ") + badge(p.status, l) + " · " + (fr ? "dernière valeur " : "latest value ")
                    + esc(valueText(p.progress.latest, t, l)) + (p.progress.latestDate.map { " (\(esc($0)))" } ?? "") + "</p>\n"
                o += "<p class=\"raison\">\(esc(p.reason))</p>\n"
                if !p.progress.periods.isEmpty {
                    o += "<p class=\"raison\">" + (fr ? "Périodes : " : "Periods: ") + p.progress.periods.map {
                        "\($0.start == $0.end ? "\($0.start)" : "\($0.start)–\($0.end)") \(badge($0.status, l))"
                    }.joined(separator: " ") + "</p>\n"
                }
                o += "</div>\n" + chart(p, t, plan: d.plan, l, id: "g\(n)-plan") + "</div>\n"
                if !r.territories.isEmpty {
                    o += "<table>\n<caption class=\"meta\">\(esc(fr ? "Par territoire : \(t.indicator)" : "By territory: \(t.indicator)"))</caption>\n<thead><tr><th scope=\"col\">" + (fr ? "Territoire" : "Territory") + "</th><th scope=\"col\">"
                        + (fr ? "Dernière valeur" : "Latest value") + "</th><th scope=\"col\">" + (fr ? "Statut" : "Status") + "</th><th scope=\"col\">"
                        + (fr ? "Explication" : "Explanation") + "</th><th scope=\"col\">" + (fr ? "Mesures" : "Measurements") + "</th></tr></thead>\n<tbody>\n"
                    for (k, s) in r.territories.enumerated() {
                        o += "<tr data-territoire=\"\(esc(s.territory))\"><th scope=\"row\">\(esc(s.territoryName))</th><td class=\"n\">"
                            + esc(valueText(s.progress.latest, t, l)) + (s.progress.latestDate.map { "<br>(\(esc($0)))" } ?? "") + "</td><td>\(badge(s.status, l))</td>"
                            + "<td class=\"raison\">\(esc(s.reason))</td><td>\(chart(s, t, plan: d.plan, l, id: "g\(n)-\(k)"))</td></tr>\n"
                    }
                    o += "</tbody>\n</table>\n"
                }
                o += "</article>\n"
            }
            o += "</section>\n"
        }
        if !d.undecided.isEmpty {
            o += "<h2 id=\"non-decidees\">" + (fr ? "Valeurs non calculées" : "Values not computed") + "</h2>\n<p>"
                + (fr ? "Ces valeurs n'ont pu être décidées ; elles sont laissées de côté, jamais estimées :" : "These values could not be decided; they are left out, never estimated:") + "</p>\n<ul>\n"
                + d.undecided.map { "<li>\(esc($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
        }
        o += "<h2 id=\"regle\">" + (fr ? "Règle de progression" : "TargetProgress rule") + "</h2>\n<ol>\n" + ruleItems(l).map { "<li>\(esc($0))</li>" }.joined(separator: "\n") + "\n</ol>\n"
        o += "<h2 id=\"sources\">Sources</h2>\n<ul>\n" + d.sources.map { "<li>\(esc($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
        o += "</main>\n<script>\(inlineScript)</script>\n</body>\n</html>\n"
        return o
    }

    /// The page's one script as it stands between its tags: the served pages' policy allows it by its hash (`PagePolicy`).
    static let inlineScript = "\n" + script + "\n"

    /// Filters a saved page in place (the served page is filtered by its query as well).
    static let script = """
        (function(){var a=document.getElementById('filtre-axe'),t=document.getElementById('filtre-territoire');
        function apply(){var av=a.value,tv=t.value;document.querySelectorAll('section[data-axe]').forEach(function(s){s.hidden=!!av&&s.getAttribute('data-axe')!==av;});
        document.querySelectorAll('article.cible tr[data-territoire]').forEach(function(r){r.hidden=!!tv&&r.getAttribute('data-territoire')!==tv;});}
        a.addEventListener('change',apply);t.addEventListener('change',apply);apply();})();
        """

    /// The progress rule in words (the page's and the README's).
    public static func ruleItems(_ l: Language) -> [String] {
        l == .fr ? [
            "Sans aucune mesure : « sans donnée ».",
            "La dernière valeur atteint la cible, dans son sens (au moins, au plus, plus que, moins que) : « atteinte ».",
            "L'échéance (le 31 décembre de son année) est passée sans que la cible soit atteinte : « en retard ».",
            "La référence est celle du plan, sinon la première mesure ; avec cette seule mesure, le progrès ne se mesure pas encore : « sans donnée ».",
            "Si la référence atteignait déjà la cible (ou l'égale, pour « moins que la référence ») : valeur inchangée « à surveiller », recul « en retard ».",
            "Sinon, le progrès dû suit la droite de la référence à la cible à l'échéance ; à la date de la dernière mesure, r = (dernière − référence) / (attendu − référence) : r ≥ 0,95 « en bonne voie », 0,5 ≤ r < 0,95 « à surveiller », r < 0,5 « en retard » (un recul donne r < 0).",
            "Une cible récurrente (chaque année, aux deux ans) se juge période par période, comptées depuis la première année du plan : la dernière mesure d'une période est sa valeur à date ; une période close est « atteinte » ou « en retard » ; la période en cours est jugée par la règle précédente à partir de zéro à son début. Son statut est celui de sa dernière période mesurée.",
            "Une cible énoncée pour la mobilisation du plan s'applique à chaque concertation locale mesurée : chacune reçoit son statut, à côté de celui du plan. Une cible liée à un indicateur prend ses mesures dans les millésimes de l'indicateur ; un millésime où une municipalité n'a pas de valeur n'en donne aucune.",
        ] : [
            "No measurement: “no data”.",
            "The latest value meets the target in its direction (at least, at most, more than, less than): “achieved”.",
            "The deadline (31 December of its year) has passed without the target met: “off track”.",
            "The baseline is the plan's, else the first measurement; with that one measurement only, progress cannot be measured yet: “no data”.",
            "If the baseline already met the target (or equals it, for “less than the baseline”): unchanged “needs attention”, worse “off track”.",
            "Otherwise the progress due follows the straight line from the baseline to the target at the deadline; at the latest measurement's date, r = (latest − baseline) / (expected − baseline): r ≥ 0.95 “on track”, 0.5 ≤ r < 0.95 “needs attention”, r < 0.5 “off track” (a step back gives r < 0).",
            "A recurring target (each year, every two years) is judged period by period, counted from the plan's first year: a period's latest measurement is its value to date; a period over is “achieved” or “off track”; the period under way is judged by the rule above from zero at its start. Its status is that of its latest measured period.",
            "A target stated for the plan's mobilisation applies to each local concertation measured against it: each gets its own status beside the plan's. A target tied to an indicator takes its measurements from the indicator's vintages; a vintage where a municipality has no value gives none.",
        ]
    }

    /// The expected value and the ratio are written rounded (2 and 3 decimals, as the explanation reads them); the
    /// status is decided on the unrounded figures.
    private static func rounded(_ v: Double, _ places: Int) -> Double {
        let f = pow(10, Double(places))
        return (v * f).rounded() / f
    }

    /// Every status as a row: the CSV and XLSX of the dashboard.
    public static func table(_ d: PlanDashboard) -> DataTable {
        let fr = d.language == .fr
        let columns = fr
            ? ["plan", "cible_id", "axe", "indicateur", "cible", "territoire", "nom", "role", "statut", "derniere_valeur", "date", "reference",
               "date_reference", "attendu", "ratio", "explication", "situation_au"]
            : ["plan", "target_id", "axis", "indicator", "target", "territory", "name", "role", "status", "latest_value", "date", "baseline",
               "baseline_date", "expected", "ratio", "explanation", "as_of"]
        var rows: [[DataTable.Cell]] = []
        for r in d.targets {
            for s in [r.plan] + r.territories {
                let p = s.progress
                rows.append([.text(d.plan.id), .text(r.target.id), .of(r.target.axis), .text(r.target.indicator), .text(r.targetText), .text(s.territory),
                             .text(s.territoryName), .text(s.role), .text(s.status.rawValue), .of(p.latest), .of(p.latestDate), .of(p.baseline),
                             .of(p.baselineDate), .of(p.expected.map { rounded($0, 2) }), .of(p.ratio.map { rounded($0, 3) }), .text(s.reason),
                             .text(d.asOf)])
            }
        }
        return DataTable(name: fr ? "tableau_de_bord" : "dashboard", title: (fr ? "Tableau de bord — " : "Dashboard — ") + d.plan.title, columns: columns, rows: rows)
    }
}

extension PlanPage {
    /// The dashboard as of `options.asOf`, or the annual report of `annual` (statuses at 31 December of that year
    /// and of the year before), with the plan's map when the store holds its territories.
    public static func build(store: any TerritoryStore, options: PlanOptions, annual year: Int? = nil)
        throws -> (dashboard: PlanDashboard, annual: Annual?, map: String?) {
        var o = options
        var annual: Annual?
        // A year outside the calendar's range is refused here too, so that no caller can make its day numbers overflow.
        if let year, !PlanDate.years.contains(year) || !PlanDate.years.contains(year - 1) {
            throw PlanError("année \(year) : de \(PlanDate.years.lowerBound + 1) à \(PlanDate.years.upperBound) attendue pour un rapport annuel", kind: .invalidInput)
        }
        if let year {
            o.asOf = .endOf(year)
            var before = o
            before.asOf = .endOf(year - 1)
            annual = Annual(year: year, previous: try PlanBuilder.build(store: store, options: before))
        }
        let d = try PlanBuilder.build(store: store, options: o)
        return (d, annual, try PlanMap.svg(d, store: store))
    }
}
