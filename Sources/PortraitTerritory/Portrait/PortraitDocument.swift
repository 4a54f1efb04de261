import Foundation
import PortraitModel

/// A portrait as a document (headings, paragraphs, lists, tables, figures), written
/// out as Markdown or HTML: the same words in both. Its sections are named so
/// that the publication (`PortraitReport`) can put maps and further sections among them.
public struct PortraitDocument: Sendable {
    public enum Block: Sendable {
        case heading(Int, String)
        case paragraph(String)
        case list([String])
        case table([String], [[String]])
        /// An SVG map: inline in HTML, a linked file (`file`) in Markdown.
        case figure(svg: String, caption: String, file: String)
        /// A new page when printed.
        case pageBreak
        /// Links (label, address) after a lead text: the report's downloads. Not printed.
        case links(String, [(label: String, href: String)])
        /// A box of the figures that matter, first in the document (its heading, its items).
        case highlights(String, [String])
    }

    /// A named part of the document: "title", "key", "coast", "mrc", "indicator:NAME", "missing", "sources".
    public struct Section: Sendable {
        public var id: String
        public var blocks: [Block]
        public init(id: String, blocks: [Block]) { self.id = id; self.blocks = blocks }
    }

    public var title: String
    public var language: Language
    public var blocks: [Block]
    /// A municipality's fiche: set close, its map smaller, to fit one or two printed pages.
    public var compact = false
    /// A line printed at the foot of every page under the title (the report's sources), in the page's margin box.
    public var runningFooter: String?

    public init(_ p: TerritorialPortrait, language lang: Language = .fr) {
        let sections = Self.sections(p, language: lang)
        self.init(title: Self.title(p, lang), language: lang, blocks: sections.flatMap(\.blocks))
    }

    public init(title: String, language: Language, blocks: [Block]) {
        self.title = title; self.language = language; self.blocks = blocks
    }

    /// "Portrait territorial : Bas-Saint-Laurent (région 01)", "Saint-Fabien (municipalité 10070)",
    /// "Ensemble du territoire", "Haut-Pays (territoire personnalisé, 12 municipalités)".
    public static func title(_ p: TerritorialPortrait, _ lang: Language) -> String {
        let t = p.territory, fr = lang == .fr
        let what: String
        switch t.level {
        case .region: what = " (\(Words.region(lang)) \(t.code))"
        case .mrc: what = " (MRC \(t.code))"
        case .municipality:
            // A TNO or a reserve is no municipality: the title says what it is.
            if let d = p.unit?.designation, !Designation.isMunicipality(d) { what = " (\(Designation.name(d, lang)) \(t.code))" }
            else { what = fr ? " (municipalité \(t.code))" : " (municipality \(t.code))" }
        case .all: what = ""
        case .custom:
            let n = p.municipalityCount + p.tnoCount + p.reserveCount
            what = fr ? " (territoire personnalisé, \(n) unité\(n > 1 ? "s" : "") municipale\(n > 1 ? "s" : ""))"
                : " (custom territory, \(n) municipal unit\(n > 1 ? "s" : ""))"
        }
        return Words.portrait(lang) + t.name + what + (p.base.map { fr ? " — parts calculées sur : \($0.label)" : " — shares of: \($0.label)" } ?? "")
    }

    /// The words of the portrait, in both languages.
    public enum Words {
        public static let portrait = Phrase("Portrait territorial : ", "Territorial portrait: ")
        public static let region = Phrase("région", "region")
        public static let rank = Phrase("Rang", "Rank")
        public static let fictional = Phrase("**Territoire fictif** : ces données sont inventées pour la démonstration.",
                                             "**Fictional territory**: these data are invented for demonstration.")
        public static let keyFigures = Phrase("Chiffres clés", "Key figures")
        public static let coastAndInland = Phrase("Littoral et intérieur", "Coast and inland")
        public static let coast = Phrase("Littoral", "Coast")
        public static let inland = Phrase("Intérieur", "Inland")
        public static let byMRC = Phrase("Par MRC", "By MRC")
        public static let byRegion = Phrase("Par région", "By region")
        public static let comparison = Phrase("Comparaison", "Comparison")
        public static let part = Phrase("Partie du territoire", "Part of the territory")
        public static let figure = Phrase("Indicateur", "Figure")
        public static let quintileWord = Phrase("Quintile", "Quintile")
        public static let shareOf = Phrase("part", "share")
        public static func changeHeading(_ from: Int, _ to: Int) -> Phrase { Phrase("Évolution de \(from) à \(to)", "Change from \(from) to \(to)") }
        public static let change = Phrase("Variation", "Change")
        public static let changePercent = Phrase("Variation (%)", "Change (%)")
        public static let annualRate = Phrase("Taux annuel moyen (%)", "Average annual rate (%)")
        public static let upDown = Phrase("Municipalités en hausse / en baisse", "Municipalities up / down")
        public static let changeNote = Phrase(
            "Anciens codes municipaux reportés sur les codes actuels ; totaux pour les effectifs, moyennes pondérées par la population pour les taux, sur les municipalités qui ont une valeur aux deux millésimes. Indices : variation en points.",
            "Former municipal codes carried onto current ones; totals for counts, population-weighted means for rates, over the municipalities with a value at both vintages. Indices: change in points.")
        public static let missingData = Phrase("Données manquantes", "Missing data")
        public static let sources = Phrase("Sources", "Sources")
        public static let municipalities = Phrase("Municipalités", "Municipalities")
        public static let share = Phrase("Part", "Share")
        public static let otherUnits = Phrase("Autres unités (TNO, réserves)", "Other units (TNO, reserves)")
        public static let towns = Phrase("5 000 hab. et plus", "5,000+ towns")
        public static let small = Phrase("Part < 3 000 hab.", "Share < 3,000")
        public static let shareOfRegion = Phrase("Part de la région", "Share of region")
        public static let weightedMean = Phrase("moy. pondérée", "weighted mean")
        public static let total = Phrase("Total : ", "Total: ")
        public static let meanLine = Phrase("Moyenne pondérée par la population : ", "Population-weighted mean: ")
        public static let areaMeanLine = Phrase("Ensemble du territoire (population totale sur superficie totale) : ",
                                                "Whole territory (total population over total land area): ")
        public static let publishedQuintiles = Phrase("quintiles publiés", "published quintiles")
        public static let allQuintiles = Phrase("quintiles de l'ensemble des valeurs importées", "quintiles of all imported values")
        public static let territories = Phrase("Territoires", "Territories")
        public static let shareOfTerritories = Phrase("Part des territoires", "Share of territories")
        public static let shareOfPopulation = Phrase("Part de la population", "Share of population")
        public static let withoutPopulation = Phrase("Sans population (exclus des parts) : ", "Without population (left out of shares): ")
        public static let noneMissing = Phrase("Aucune : chaque territoire a ses valeurs.", "None: every territory has its values.")
        public static let sourcesLine = Phrase(
            "Sources : limites du MRNF (SDA) ; population et indicateurs tels qu'importés (voir le journal des importations). Parts exprimées sur la population connue.",
            "Sources: MRNF boundaries (SDA); population and indicators as imported (see the imports log). Shares are of the known population.")
        public static let totalColumn = Phrase("Total", "Total")
        public static let weightedMeanColumn = Phrase("Moyenne pondérée", "Weighted mean")
        public static let territoryColumn = Phrase("Territoire", "Territory")
        static func pastColumn(_ label: String) -> Phrase { Phrase("Territoires \(label) (part de la population)", "Territories \(label) (population share)") }
        static func classHeader(_ method: String) -> Phrase { Phrase("Classe (\(method))", "Class (\(method))") }
        static func suppressedFor(_ name: String) -> Phrase { Phrase("\(name) : valeurs confidentielles pour ", "\(name): suppressed for ") }
        static func noValueFor(_ name: String) -> Phrase { Phrase("\(name) : sans valeur pour ", "\(name): no value for ") }
    }

    /// The sections of the text-only portrait, in order.
    public static func sections(_ p: TerritorialPortrait, language lang: Language) -> [Section] {
        let fr = lang == .fr
        func n(_ v: Double?) -> String { v.map { NumberText.format($0, language: lang) } ?? "—" }
        func dec(_ v: Double?, _ d: Int = 1) -> String { v.map { NumberText.format($0, decimals: d, language: lang) } ?? "—" }
        func pct(_ v: Double?) -> String { NumberText.percent(v, language: lang) }
        /// Towns of 5,000 or more: « — » when no population is known, « ≥ n » when some are unknown.
        func towns(_ t: TownsSummary, of count: Int) -> String {
            t.unknown >= count && count > 0 ? "—" : t.unknown > 0 ? "≥ \(t.count)" : "\(t.count)"
        }
        /// Units of a coast class: « — » when the territory is not classified at all (no shoreline imported).
        func classCount(_ part: TerritorialPortrait.Part?, classified m: TerritorialPortrait) -> String {
            m.littoral == nil && m.interieur == nil ? "—" : "\(part?.portrait.count ?? 0)"
        }
        var out: [Section] = []
        var b: [Block] = [.heading(1, title(p, lang))]
        if p.fictional { b.append(.paragraph(Words.fictional(lang))) }
        out.append(Section(id: "title", blocks: b))
        let vintage = p.populationVintage.map(String.init) ?? "—"
        // Overview.
        let single = p.municipalityCount + p.tnoCount + p.reserveCount <= 1
        var overview: String
        let m = p.municipalityCount
        // An unknown population is said to be unknown: never « — habitants », never 0.
        let knownPopulation = p.populationTotal != nil
        if single {
            overview = !knownPopulation
                ? (fr ? "La population de \(p.territory.name) n'est pas connue : la population importée ne lui donne pas de valeur."
                      : "The population of \(p.territory.name) is not known: the population imported gives it no value.")
                : fr ? "En \(vintage), \(p.territory.name) compte \(n(p.populationTotal)) habitants."
                : "In \(vintage), \(p.territory.name) has \(n(p.populationTotal)) inhabitants."
            if let u = p.unit {
                var facts: [String] = []
                if let d = u.designation { facts.append(Designation.name(d, lang)) }
                // Outside the ranks, said even when no figure is known (the figures' sentences say it too).
                if p.territory.level == .municipality, !Designation.isMunicipality(u.designation) {
                    let explained = p.comparison?.figures.contains { $0.value != nil } == true
                    facts.append(fr ? "hors classement" + (explained ? "" : " (les rangs sont établis parmi les municipalités de la région, sans les TNO ni les réserves)")
                                    : "not ranked" + (explained ? "" : " (ranks are among the region's municipalities, without unorganised territories or reserves)"))
                }
                if let c = u.coastClass { facts.append(fr ? "municipalité \(c == .littoral ? "du littoral" : "de l'intérieur")" : "\(c.labelEN) municipality") }
                // A parent without its layer is named by its code (« MRC 992 », never « MRC MRC 992 »).
                if let m = u.mrc { facts.append(m.name == "MRC \(m.code)" ? m.name : "MRC \(m.name)") }
                if let r = u.region {
                    facts.append(r.name == "Région \(r.code)" ? (fr ? "région \(r.code)" : "region \(r.code)") : fr ? "région \(r.name)" : "\(r.name) region")
                }
                if !facts.isEmpty {
                    let line = facts.joined(separator: " · ")
                    overview += " " + line.prefix(1).uppercased() + line.dropFirst() + "."
                }
            }
        } else if fr {
            overview = knownPopulation ? "En \(vintage), le territoire compte \(n(p.populationTotal)) habitants répartis dans \(m) municipalité\(m > 1 ? "s" : "")"
                : "Le territoire compte \(m) municipalité\(m > 1 ? "s" : "")"
            if p.territory.level == .region || p.territory.level == .custom && p.mrcCount > 1 { overview += " et \(p.mrcCount) MRC" }
            if p.territory.level == .all { overview += ", \(p.regions?.count ?? 0) région\((p.regions?.count ?? 0) > 1 ? "s" : "") et \(p.mrcCount) MRC" }
            var extras: [String] = []
            if p.tnoCount > 0 { extras.append("\(p.tnoCount) territoire\(p.tnoCount > 1 ? "s" : "") non organisé\(p.tnoCount > 1 ? "s" : "")") }
            if p.reserveCount > 0 { extras.append("\(p.reserveCount) réserve\(p.reserveCount > 1 ? "s" : "")") }
            overview += extras.isEmpty ? "." : ", sans compter \(extras.joined(separator: " et "))."
            if !knownPopulation { overview += " Sa population n'est pas dans le magasin (importez-la : recensement ou registre des municipalités)." }
        } else {
            overview = knownPopulation ? "In \(vintage), the territory has \(n(p.populationTotal)) inhabitants in \(m) municipalit\(m > 1 ? "ies" : "y")"
                : "The territory has \(m) municipalit\(m > 1 ? "ies" : "y")"
            if p.territory.level == .region || p.territory.level == .custom && p.mrcCount > 1 { overview += " and \(p.mrcCount) MRCs" }
            if p.territory.level == .all { overview += ", \(p.regions?.count ?? 0) regions and \(p.mrcCount) MRCs" }
            var extras: [String] = []
            if p.tnoCount > 0 { extras.append("\(p.tnoCount) unorganised territor\(p.tnoCount > 1 ? "ies" : "y")") }
            if p.reserveCount > 0 { extras.append("\(p.reserveCount) reserve\(p.reserveCount > 1 ? "s" : "")") }
            overview += extras.isEmpty ? "." : ", besides \(extras.joined(separator: " and "))."
            if !knownPopulation { overview += " Its population is not in the store (import it: census or municipal register)." }
        }
        if let base = p.base {
            overview += fr ? " Les parts sont calculées sur « \(base.label) » (\(base.vintage)) : \(n(base.total)) personnes."
                : " Shares are of “\(base.label)” (\(base.vintage)): \(n(base.total)) people."
        }
        /// The generated sentence of a comparison figure, when there is one.
        func sentence(_ key: String) -> [Block] {
            guard let f = p.comparison?.figure(key), !f.sentence.isEmpty else { return [] }
            return [.paragraph(f.sentence)]
        }
        b = [.heading(2, Words.keyFigures(lang))] + sentence("population") + [.paragraph(overview)]
        let t = p.towns5000Plus
        var bullets: [String] = []
        // What the towns are is said only of known populations: with none known, nothing; with some unknown, « of known population ».
        let unknownTowns = t.unknown
        if single || !knownPopulation || unknownTowns >= p.municipalityCount {
            // One municipality: its comparison says the rest. No population: no statement drawn from it.
        } else if fr {
            let known = unknownTowns > 0 ? " de population connue" : ""
            let note = unknownTowns > 0 ? " (\(unknownTowns) municipalité\(unknownTowns > 1 ? "s" : "") sans population connue)" : ""
            bullets.append(t.count == 0 ? "Aucune municipalité\(known) n'atteint 5 000 habitants\(note)."
                : "\(t.count) municipalité\(t.count > 1 ? "s" : "")\(known) de 5 000 habitants ou plus (\(t.names.joined(separator: ", "))) regroupe\(t.count > 1 ? "nt" : "") \(pct(t.populationShare)) de la population\(note).")
            if let s = p.under3000PopulationShare {
                bullets.append("Les municipalités\(known) de moins de 3 000 habitants regroupent \(pct(s)) de la population\(unknownTowns > 0 ? " connue" : "").")
            }
        } else {
            let known = unknownTowns > 0 ? " of known population" : ""
            let note = unknownTowns > 0 ? " (\(unknownTowns) municipalit\(unknownTowns > 1 ? "ies" : "y") of unknown population)" : ""
            bullets.append(t.count == 0 ? "No municipality\(known) reaches 5,000 inhabitants\(note)."
                : "\(t.count) municipalit\(t.count > 1 ? "ies" : "y")\(known) of 5,000 inhabitants or more (\(t.names.joined(separator: ", "))) hold\(t.count > 1 ? "" : "s") \(pct(t.populationShare)) of the population\(note).")
            if let s = p.under3000PopulationShare {
                bullets.append("Municipalities\(known) under 3,000 inhabitants hold \(pct(s)) of the\(unknownTowns > 0 ? " known" : "") population.")
            }
        }
        if let l = p.littoral?.portrait, let i = p.interieur?.portrait {
            bullets.append(fr
                ? "Littoral : \(l.count) municipalités, \(n(l.population)) habitants (\(pct(l.populationShare))) ; intérieur : \(i.count) municipalités, \(n(i.population)) habitants (\(pct(i.populationShare)))."
                : "Coast: \(l.count) municipalities, \(n(l.population)) inhabitants (\(pct(l.populationShare))); inland: \(i.count) municipalities, \(n(i.population)) inhabitants (\(pct(i.populationShare))).")
        }
        if !bullets.isEmpty { b.append(.list(bullets)) }
        for key in ["towns_5000_plus_share", "under_3000_share"] { b += sentence(key) }
        // Each figure beside its references, with its rank and quintile.
        if let c = p.comparison, !c.figures.isEmpty {
            b.append(.heading(3, Words.comparison(lang)))
            func cell(_ f: ComparisonFigure, _ v: Double?) -> String {
                v.map { Sentences.value($0, kind: f.kind, unit: f.unit, language: lang) } ?? "—"
            }
            let header = [Words.figure(lang), p.territory.name] + c.references.map(\.name) + [Words.rank(lang), Words.quintileWord(lang)]
            let unranked = p.territory.level == .municipality && p.unit.map { !Designation.isMunicipality($0.designation) } == true
            b.append(.table(header, c.figures.map { f -> [String] in
                let year: String = (f.year ?? f.vintage).map { " (\($0))" } ?? ""
                let refs: [String] = f.references.map { r in cell(f, r.value) + (r.share.map { " (\(pct($0)))" } ?? "") }
                // A TNO or a reserve is not ranked among the municipalities: said, never left as a dash.
                let rank: String = f.rank.map { "\($0.rank) / \($0.of)" } ?? (unranked && f.value != nil ? (fr ? "hors classement" : "not ranked") : "—")
                return [f.label + year, cell(f, f.value)] + refs + [rank, f.quintile.map(String.init) ?? "—"]
            }))
            b.append(.paragraph(c.note))
        }
        out.append(Section(id: "key", blocks: b))

        // Shore and inland table.
        if let l = p.littoral?.portrait, let i = p.interieur?.portrait {
            b = [.heading(2, Words.coastAndInland(lang))] + sentence("littoral_share")
            // Municipalities, and the other units the maps draw (TNO, reserves): both universes, so that the maps' counts of units add up.
            var header = [Words.part(lang), Words.municipalities(lang), Words.otherUnits(lang), "Population", Words.share(lang), Words.towns(lang), Words.small(lang)]
            var rows: [[String]] = []
            for (label, s) in [(Words.coast(lang), l), (Words.inland(lang), i)] {
                let others = s.unitsByDesignation.filter { $0.key != Designation.aquatic }.values.reduce(0, +) - s.count
                var r = [label, "\(s.count)", "\(others)", n(s.population), pct(s.populationShare), towns(s.towns5000Plus, of: s.count), pct(s.under3000PopulationShare)]
                for ind in s.indicators where ind.kind != .count { r.append(dec(ind.weightedMean)) }
                rows.append(r)
            }
            header += p.indicators.filter { $0.kind != .count }.map { "\($0.label) (\(Words.weightedMean(lang)))" }
            b.append(.table(header, rows))
            out.append(Section(id: "coast", blocks: b))
        }

        // By MRC.
        if let mrc = p.mrc, !mrc.isEmpty {
            b = [.heading(2, Words.byMRC(lang))]
            var header = ["MRC", Words.municipalities(lang), "Population", Words.shareOfRegion(lang), Words.coast(lang), Words.inland(lang),
                          Words.towns(lang), Words.small(lang)]
            header += p.indicators.filter { $0.kind != .count }.map(\.label)
            b.append(.table(header, mrc.map { m in
                ["\(m.territory.name) (\(m.territory.code))", "\(m.municipalityCount)", n(m.populationTotal), pct(m.populationShare),
                 classCount(m.littoral, classified: m), classCount(m.interieur, classified: m), towns(m.towns5000Plus, of: m.municipalityCount),
                 pct(m.under3000PopulationShare)] + m.indicators.filter { $0.kind != .count }.map { dec($0.weightedMean) }
            }))
            out.append(Section(id: "mrc", blocks: b))
        }

        // By region (the whole store).
        if let regions = p.regions, regions.count > 1 {
            b = [.heading(2, Words.byRegion(lang))]
            var header = [Words.region(lang).capitalized, Words.municipalities(lang), "MRC", "Population", Words.share(lang), Words.coast(lang),
                          Words.inland(lang), Words.towns(lang), Words.small(lang)]
            header += p.indicators.filter { $0.kind != .count }.map(\.label)
            b.append(.table(header, regions.map { m in
                ["\(m.territory.name) (\(m.territory.code))", "\(m.municipalityCount)", "\(m.mrcCount)", n(m.populationTotal), pct(m.populationShare),
                 classCount(m.littoral, classified: m), classCount(m.interieur, classified: m), towns(m.towns5000Plus, of: m.municipalityCount),
                 pct(m.under3000PopulationShare)] + m.indicators.filter { $0.kind != .count }.map { dec($0.weightedMean) }
            }))
            out.append(Section(id: "regions", blocks: b))
        }

        // Change over time (--compare).
        if let changes = p.changes, !changes.isEmpty {
            b = [.heading(2, Words.changeHeading(changes[0].from, changes.map(\.to).max() ?? changes[0].to)(lang)), .paragraph(Words.changeNote(lang))]
            for c in changes {
                b.append(.heading(3, "\(c.label) (\(c.from) → \(c.to))"))
                func row(_ label: String, _ s: TerritorialPortrait?) -> [String] {
                    guard let x = s?.changes?.first(where: { $0.name == c.name }), let ch = x.change else { return [label, "—", "—", "—", "—", "—", "—"] }
                    let d = c.kind == .count ? 0 : 2
                    let sign = ch.absolute > 0 ? "+" : ""
                    return [label, dec(ch.from, d), dec(ch.to, d), sign + dec(ch.absolute, d),
                            ch.percent.map { ($0 > 0 ? "+" : "") + dec($0, 1) } ?? "—", ch.annualRate.map { ($0 > 0 ? "+" : "") + dec($0, 2) } ?? "—",
                            "\(x.increased) / \(x.decreased)"]
                }
                var rows = [row(p.territory.name, p)]
                if let l = p.littoral?.portrait, let i = p.interieur?.portrait { rows += [row(Words.coast(lang), l), row(Words.inland(lang), i)] }
                for m in p.mrc ?? [] { rows.append(row("\(m.territory.name) (\(m.territory.code))", m)) }
                b.append(.table([Words.territoryColumn(lang), "\(c.from)", "\(c.to)", Words.change(lang), Words.changePercent(lang),
                                 Words.annualRate(lang), Words.upDown(lang)], rows))
            }
            out.append(Section(id: "change", blocks: b))
        }

        // Indicators.
        // One municipality: what its comparison table does not say of each indicator (its class, its threshold, a value
        // suppressed or absent), so that its fiche holds on two pages without saying a figure twice.
        if single, !p.indicators.isEmpty {
            b = [.heading(2, fr ? "Indicateurs" : "Indicators")]
            var items: [String] = []
            for ind in p.indicators {
                let method = ind.kind == .quintile ? Words.publishedQuintiles(lang) : Words.allQuintiles(lang)
                var facts: [String] = []
                if let c = ind.classes.first(where: { $0.municipalities > 0 }) {
                    facts.append(fr ? "classe \(c.label) (\(c.index) de \(ind.classes.count), \(method))" : "class \(c.label) (\(c.index) of \(ind.classes.count), \(method))")
                }
                if let th = ind.threshold, th.municipalities > 0 { facts.append(fr ? "territoire \(th.label)" : "territory \(th.label)") }
                if !ind.suppressed.isEmpty { facts.append(fr ? "valeur confidentielle" : "value suppressed") }
                if !ind.withoutValue.isEmpty { facts.append(fr ? "sans valeur" : "no value") }
                guard !facts.isEmpty else { continue }
                items.append("\(ind.label) (\(IndicatorDefinition.named(ind.name).referenceYear(ind.vintage))) : " + facts.joined(separator: " ; ") + ".")
            }
            b.append(.list(items))
            out.append(Section(id: "indicators", blocks: b))
        }
        for ind in p.indicators where !single {
            b = [.heading(2, "\(ind.label) (\(IndicatorDefinition.named(ind.name).referenceYear(ind.vintage)))")] + sentence(ind.name)
            if single {
                // One municipality: its value and its class among every value imported.
                let c = ind.classes.first { $0.municipalities > 0 }
                let method = ind.kind == .quintile ? Words.publishedQuintiles(lang) : Words.allQuintiles(lang)
                var lines: [String] = []
                if let c { lines.append(fr ? "Classe : \(c.label) (\(c.index) de \(ind.classes.count), \(method))." : "Class: \(c.label) (\(c.index) of \(ind.classes.count), \(method)).") }
                if let th = ind.threshold, th.municipalities > 0 { lines.append(fr ? "Territoire \(th.label)." : "Territory \(th.label).") }
                if !ind.suppressed.isEmpty { lines.append(fr ? "Valeur confidentielle." : "Value suppressed.") }
                if !ind.withoutValue.isEmpty { lines.append(fr ? "Sans valeur." : "No value.") }
                if !lines.isEmpty { b.append(.list(lines)) }
                out.append(Section(id: "indicator:\(ind.name)", blocks: b))
                continue
            }
            var lines: [String] = []
            if let total = ind.total { lines.append(Words.total(lang) + n(total) + " \(ind.unit)") }
            if let m = ind.weightedMean {
                lines.append((ind.weight == "superficie_terre" ? Words.areaMeanLine(lang) : Words.meanLine(lang)) + dec(m, 2))
            }
            if let th = ind.threshold {
                lines.append(fr ? "\(th.municipalities) territoires \(th.label), \(n(th.population)) habitants (\(pct(th.populationShare)) de la population)."
                                : "\(th.municipalities) territories \(th.label), \(n(th.population)) inhabitants (\(pct(th.populationShare)) of the population).")
            }
            lines.append(fr ? "\(ind.withValue) territoires avec une valeur, \(ind.suppressed.count) confidentielles, \(ind.withoutValue.count) sans valeur."
                            : "\(ind.withValue) territories with a value, \(ind.suppressed.count) suppressed, \(ind.withoutValue.count) without value.")
            b.append(.list(lines))
            let method = ind.kind == .quintile ? Words.publishedQuintiles(lang) : Words.allQuintiles(lang)
            b.append(.table([Words.classHeader(method)(lang), Words.territories(lang), Words.shareOfTerritories(lang), "Population",
                             Words.shareOfPopulation(lang)],
                            ind.classes.map { [$0.label, "\($0.municipalities)", pct($0.municipalityShare), n($0.population), pct($0.populationShare)] }))
            // Coast against inland, and each MRC: the same figure side by side.
            func figure(_ s: TerritorialPortrait?) -> [String] {
                guard let x = s?.indicators.first(where: { $0.name == ind.name }) else { return ind.threshold == nil ? ["—"] : ["—", "—"] }
                let value = x.total.map { n($0) } ?? dec(x.weightedMean, 2)
                guard ind.threshold != nil else { return [value] }
                return [value, x.threshold.map { "\($0.municipalities) (\(pct($0.populationShare)))" } ?? "—"]
            }
            var rows: [[String]] = []
            if let l = p.littoral?.portrait, let i = p.interieur?.portrait {
                rows.append([Words.coast(lang)] + figure(l))
                rows.append([Words.inland(lang)] + figure(i))
            }
            for m in p.mrc ?? [] { rows.append(["\(m.territory.name) (\(m.territory.code))"] + figure(m)) }
            if !rows.isEmpty {
                let what = ind.kind == .count ? Words.totalColumn(lang) : Words.weightedMeanColumn(lang)
                b.append(.table([Words.territoryColumn(lang), what] + (ind.threshold.map { [Words.pastColumn($0.label)(lang)] } ?? []), rows))
            }
            out.append(Section(id: "indicator:\(ind.name)", blocks: b))
        }

        // Missing data.
        b = [.heading(2, Words.missingData(lang))]
        var gaps: [String] = []
        // Indicators by their label, never their identifier.
        var labels = Dictionary(p.indicators.map { ($0.name, $0.label) }, uniquingKeysWith: { a, _ in a })
        labels["population"] = "Population"
        func label(_ name: String) -> String { labels[name] ?? name.replacingOccurrences(of: "_", with: " ") }
        if !p.missing.withoutPopulation.isEmpty {
            gaps.append(Words.withoutPopulation(lang) + p.missing.withoutPopulation.map { "\($0.name) (\($0.code))" }.joined(separator: ", "))
        }
        for (name, codes) in p.missing.suppressed.sorted(by: { $0.key < $1.key }) {
            gaps.append(Words.suppressedFor(label(name))(lang) + codes.joined(separator: ", "))
        }
        for (name, codes) in p.missing.withoutValue.sorted(by: { $0.key < $1.key }) {
            gaps.append(Words.noValueFor(label(name))(lang) + codes.joined(separator: ", "))
        }
        if gaps.isEmpty { gaps.append(Words.noneMissing(lang)) }
        b.append(.list(gaps))
        out.append(Section(id: "missing", blocks: b))
        out.append(Section(id: "sources", blocks: [.paragraph(Words.sourcesLine(lang))]))
        return out
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
            case .figure(_, let caption, let file):
                out += "![\(caption.replacingOccurrences(of: "]", with: ")"))](\(file))\n\n"
            case .pageBreak:
                break
            case .highlights(let heading, let items):
                out += "## " + heading + "\n\n" + items.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
            case .links(let lead, let items):
                out += lead + " " + items.map { "[\($0.label)](\($0.href))" }.joined(separator: " · ") + "\n\n"
            }
        }
        return out
    }

    /// A cell that is a figure ("1 834", "3,2 %", "66 520 $", "18 / 111", "—"), not text.
    static func isFigure(_ cell: String) -> Bool {
        cell.count <= 24 && cell.allSatisfy { $0.isNumber || " \u{A0}\u{202F},.%$/−-+()—".contains($0) || $0 == "k" || $0 == "m" }
    }

    /// Text for a CSS string: quotes, backslashes and markup left out.
    static func cssString(_ s: String) -> String { Escape.cssString(s) }

    static let compactCSS = """
        body{font-size:.75rem;line-height:1.22}h1{font-size:1.35rem;margin:.2rem 0}h2{font-size:1.05rem;margin:.7rem 0 .2rem}\
        h3{font-size:.95rem;margin:.5rem 0 .2rem}p,ul{margin:.25rem 0}table{font-size:.72rem;margin:.4rem 0}td,th{padding:.15rem .4rem}\
        .carte{margin:.4rem 0;text-align:center}.carte svg{width:auto;max-width:100%;max-height:6cm}.carte svg.graphique{max-height:3.2cm}.faits{padding:.1rem .7rem .2rem;margin:.4rem 0}.legende-carte{font-size:.7rem}main>p:last-child{font-size:.66rem;line-height:1.2}
        """

    /// The values a map draws, as a folded table after it: each unit's name and code (its path's `<title>`) and its
    /// data attributes (`data-value`, `data-tables`, `data-gap`, `data-bivariate`…).
    static func dataTable(_ svg: String, language: Language) -> String {
        func esc(_ s: String) -> String { Escape.html(s) }
        var rows: [(name: String, values: [String: String])] = []
        var columns: [String] = []
        for m in svg.matches(of: /<path data-code="([^"]*)"([^>]*)><title>([^<]*)<\/title>/) {
            var values: [String: String] = [:]
            for a in String(m.2).matches(of: /data-([a-z-]+)="([^"]*)"/) {
                let k = String(a.1)
                values[k] = String(a.2)
                if !columns.contains(k) { columns.append(k) }
            }
            rows.append((String(m.3), values))
        }
        guard !rows.isEmpty, !columns.isEmpty else { return "" }
        let fr = language == .fr
        let names: [String: String] = fr
            ? ["value": "Valeur", "tables": "Tables", "gap": "Lacune", "gap-class": "Classe de lacune", "need-class": "Classe de besoin",
               "access-class": "Classe d'accès", "bivariate": "Case", "class": "Classe", "nearest-km": "Service le plus proche (km)"]
            : ["value": "Value", "tables": "Tables", "gap": "Gap", "gap-class": "Gap class", "need-class": "Need class",
               "access-class": "Access class", "bivariate": "Cell", "class": "Class", "nearest-km": "Nearest service (km)"]
        var out = "<details class=\"donnees\"><summary>" + (fr ? "Données de la carte" : "Map data") + " (\(rows.count))</summary>\n<table>\n<thead><tr><th scope=\"col\">"
            + (fr ? "Territoire" : "Territory") + "</th>" + columns.map { "<th scope=\"col\">\(esc(names[$0] ?? $0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for r in rows {
            out += "<tr><td>\(r.name)</td>" + columns.map { "<td>\(esc(r.values[$0] ?? "—"))</td>" }.joined() + "</tr>\n"
        }
        return out + "</tbody>\n</table>\n</details>\n"
    }

    /// Numbers and units never break across lines: the spaces inside a number (« 3 000 »), between a number and its unit
    /// (« 12,5 % », « 62 000 $ », « 15 km ») and after a comparison sign (« < 3 000 ») become no-break spaces.
    static func glue(_ s: String) -> String {
        // Most cells and lines hold no figure: no regex for them (this runs on every text of every page).
        guard s.utf8.contains(where: { (48...57).contains($0) }) else { return s }
        var t = s.replacing(#/(\d)[ \u{A0}](\d{3})(?!\d)/#) { "\($0.output.1)\u{202F}\($0.output.2)" }
        t = t.replacing(#/(\d)[ \u{A0}](\d{3})(?!\d)/#) { "\($0.output.1)\u{202F}\($0.output.2)" }   // « 1 234 567 »: twice
        t = t.replacing(#/(\d) (%|\$|km²|km|hab\.|habitants|inhabitants|logements|ans|min|points?)(?![\p{L}])/#) { "\($0.output.1)\u{A0}\($0.output.2)" }
        t = t.replacing(#/([<>≤≥]|&lt;|&gt;) (\d)/#) { "\($0.output.1)\u{A0}\($0.output.2)" }
        return t
    }

    public var html: String {
        func esc(_ s: String) -> String { Self.glue(Escape.html(s)) }
        func inline(_ s: String) -> String {
            // **bold** only.
            let parts = esc(s).components(separatedBy: "**")
            return parts.enumerated().map { $0.offset % 2 == 1 ? "<strong>\($0.element)</strong>" : $0.element }.joined()
        }
        var out = """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head><meta charset="utf-8"><title>\(esc(title))</title>
        <style>body{font-family:"DejaVu Sans",system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
        table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}th,td{border:1px solid #ccc;padding:.3rem .6rem}
        td:not(:first-child){text-align:right}th{background:#f2f2f2}thead{display:table-header-group}tr{break-inside:avoid}
        .carte{margin:1rem 0;break-inside:avoid}.carte svg{width:100%;height:auto}.legende-carte{font-size:.85rem;color:#555;margin:.2rem 0 0}.saut{break-after:page}
        @page{size:letter;margin:16mm 14mm 18mm 14mm;@bottom-right{content:counter(page) " / " counter(pages);width:16mm;white-space:nowrap;vertical-align:top;padding-top:3mm;font-family:"DejaVu Sans",sans-serif;font-size:9pt;color:#555}
        @bottom-left{content:"\(Self.cssString(title))\(runningFooter.map { "\\A " + Self.cssString($0) } ?? "")";white-space:pre-wrap;font-family:"DejaVu Sans",sans-serif;font-size:7pt;line-height:1.3;color:#555;vertical-align:top;padding-top:3mm}}
        h1,h2,h3{break-after:avoid;page-break-after:avoid}.faits{border:2px solid #08519c;background:#f3f7fc;padding:.2rem .9rem .4rem;margin:.8rem 0;break-inside:avoid}.faits h2{margin:.3rem 0;font-size:1.1rem;color:#08519c}.faits li{margin:.15rem 0}.graphique{max-width:100%;height:auto}p,li{orphans:3;widows:3}.nb{white-space:nowrap}
        @media print{.telechargements,details.donnees{display:none}.carte{text-align:center}.carte svg{width:auto;max-width:100%;max-height:12.5cm}body{max-width:none;margin:0;padding:0}table{font-size:7.5pt;max-width:100%}th,td{padding:.12rem .3rem;overflow-wrap:break-word;hyphens:auto}td.n{white-space:nowrap}}\(compact ? Self.compactCSS : "")</style></head>
        <body>
        <main>

        """
        for block in blocks {
            switch block {
            case .heading(let l, let t): out += "<h\(l)>\(inline(t))</h\(l)>\n"
            case .paragraph(let t): out += "<p>\(inline(t))</p>\n"
            case .list(let items): out += "<ul>\n" + items.map { "<li>\(inline($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
            case .table(let h, let rows):
                out += "<table>\n<thead><tr>" + h.map { "<th scope=\"col\">\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
                // Figures never break across lines when printed; text does.
                out += rows.map { "<tr>" + $0.map { "<td\(Self.isFigure($0) ? " class=\"n\"" : "")>\(esc($0))</td>" }.joined() + "</tr>" }
                    .joined(separator: "\n") + "\n</tbody>\n</table>\n"
            case .figure(let svg, let caption, _):
                let body = svg.hasPrefix("<?xml") ? String(svg.drop(while: { $0 != "\n" }).dropFirst()) : svg
                // A block, not <figure>: printed, Chromium tags a <figure> as a /Figure of its own without alternative
                // text around the map's (which carries the map's title and description).
                out += "<div class=\"carte\">\n\(body)<p class=\"legende-carte\">\(esc(caption))</p>\n\(Self.dataTable(svg, language: language))</div>\n"
            case .pageBreak:
                out += "<div class=\"saut\"></div>\n"
            case .highlights(let heading, let items):
                out += "<section class=\"faits\" aria-labelledby=\"faits-saillants\"><h2 id=\"faits-saillants\">\(esc(heading))</h2>\n<ul>\n"
                    + items.map { "<li>\(inline($0))</li>" }.joined(separator: "\n") + "\n</ul>\n</section>\n"
            case .links(let lead, let items):
                out += "<p class=\"telechargements\">\(esc(lead)) " + items.map { "<a href=\"\(esc($0.href))\" download>\(esc($0.label))</a>" }
                    .joined(separator: " · ") + "</p>\n"
            }
        }
        return out + "</main>\n</body>\n</html>\n"
    }
}
