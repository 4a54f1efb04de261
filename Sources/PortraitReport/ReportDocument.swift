import Foundation
import PortraitGeometry
import PortraitModel
import PortraitRender
import PortraitTerritory

/// The publication as a document: the portrait's sections with their maps,
/// then services and gaps, mobilisations, missing data and sources, running on
/// from page to page when printed.
public struct ReportDocument: Sendable {
    public let document: PortraitDocument
    /// The maps, with the file names Markdown links to.
    public let maps: [(file: String, svg: String)]

    /// - Parameter downloads: the report's tables and layers to download (label, address), listed under its cover
    ///   when it is served (not printed).
    public init(_ r: Report, mapPrefix: String = "carte", downloads: [(label: String, href: String)] = []) {
        let lang = r.language
        func n(_ v: Double?) -> String { v.map { NumberText.format($0, language: lang) } ?? "—" }
        func dec(_ v: Double?, _ d: Int = 1) -> String { v.map { NumberText.format($0, decimals: d, language: lang) } ?? "—" }
        func pct(_ v: Double?) -> String { NumberText.percent(v, language: lang) }
        var files: [(String, String)] = []
        func figures(_ section: String) -> [PortraitDocument.Block] {
            r.maps.filter { $0.section == section }.map { m in
                let file = "\(mapPrefix)-\(m.name).svg"
                files.append((file, m.svg))
                return .figure(svg: m.svg, caption: m.caption, file: file)
            }
        }
        var blocks: [PortraitDocument.Block] = []
        for s in PortraitDocument.sections(r.portrait, language: lang) {
            switch s.id {
            case "title":
                blocks += s.blocks
                // The cover: the date of the data and of the printing.
                // A source of several vintages (an IVE series « 2016,2018,2020 ») gives each of them once.
                let vintages = Set((r.sources.compactMap(\.vintage) + (r.portrait.populationVintage.map { [String($0)] } ?? []))
                    .flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }).sorted()
                let f = DateFormatter()
                f.locale = Locale(identifier: lang == .fr ? "fr_CA" : "en_CA")
                f.dateStyle = .long
                f.timeZone = TimeZone(identifier: "America/Montreal")
                blocks.append(.paragraph(lang == .fr
                    ? "Données : millésimes \(vintages.joined(separator: ", ")) · édition du \(f.string(from: Date()))"
                    : "Data: vintages \(vintages.joined(separator: ", ")) · printed \(f.string(from: Date()))"))
                if !r.synthetic.isEmpty { blocks.append(.paragraph(Words.synthetic(r.synthetic.joined(separator: ", "))(lang))) }
                if !downloads.isEmpty { blocks.append(.links(lang == .fr ? "Télécharger les données :" : "Download the data:", downloads)) }
                // The figures that matter first, each beside its parent; then the charts that compare them.
                let facts = Self.highlights(r)
                if !facts.isEmpty { blocks.append(.highlights(lang == .fr ? "Faits saillants" : "Highlights", facts)) }
                blocks += Self.charts(r, mapPrefix: mapPrefix, files: &files)
            case "missing":
                blocks += Self.servicesBlocks(r, figures: figures, n: n, dec: dec, pct: pct)
                blocks += Self.mobilisationBlocks(r, figures: figures, pct: pct)
                blocks += Self.planBlocks(r)
                blocks += s.blocks
            case "sources" where r.portrait.territory.level == .municipality:
                // The fiche: its sources in one paragraph.
                blocks.append(.heading(2, Words.sources(lang)))
                // One entry per publisher, its files after it: the fiche stays on its two pages.
                var byPublisher: [(publisher: String, licence: String, files: [String])] = []
                for s in r.sources {
                    let file = s.file + (s.vintage.map { " (\($0))" } ?? "")
                    if let i = byPublisher.firstIndex(where: { $0.publisher == s.publisher && $0.licence == s.licence }) { byPublisher[i].files.append(file) }
                    else { byPublisher.append((s.publisher, s.licence, [file])) }
                }
                blocks.append(.paragraph(byPublisher.map { "\($0.publisher), \($0.licence) : \($0.files.joined(separator: ", "))" }.joined(separator: " · ")))
            case "sources":
                blocks.append(.heading(2, Words.sources(lang)))
                blocks.append(.table([Words.file(lang), Words.data(lang), Words.vintage(lang), Words.publisher(lang), Words.licence(lang)],
                                     r.sources.map { [$0.file, Self.importKind($0.kind, lang), $0.vintage ?? "—", $0.publisher, $0.licence] }))
                blocks += s.blocks
            default:
                // Sections run on: a page is never left half empty for the next chapter; headings keep with what follows
                // them and a map never splits (the document's print rules).
                blocks += s.blocks + figures(s.id)
            }
        }
        var doc = PortraitDocument(title: PortraitDocument.title(r.portrait, lang), language: lang, blocks: blocks)
        doc.compact = r.portrait.territory.level == .municipality
        // Every printed page names its sources (their publishers; files, vintages and licences in the sources section).
        var publishers: [String] = []
        for s in r.sources {
            let short = SourceCatalogue.short(s.publisher)
            if !publishers.contains(short) { publishers.append(short) }
        }
        if !publishers.isEmpty {
            doc.runningFooter = (lang == .fr ? "Sources : " : "Sources: ") + publishers.joined(separator: " ; ")
                + (lang == .fr ? " (détail à la section Sources)" : " (details in the Sources section)")
        }
        document = doc
        maps = files
    }

    /// The 4 to 6 figures that matter, each beside its nearest parent, in words and numbers: the population, the share
    /// in towns or on the coast, then the indicators (vitality, income, deprivation, density). A figure without a value is
    /// left out; a parent that does not hold the territory is compared by value, never by share.
    static func highlights(_ r: Report) -> [String] {
        guard let c = r.portrait.comparison else { return [] }
        let fr = r.language == .fr
        func shown(_ f: ComparisonFigure, _ v: Double) -> String { Sentences.value(v, kind: f.kind, unit: f.unit, language: r.language) }
        func item(_ f: ComparisonFigure, _ label: String) -> String? {
            guard let v = f.value else { return nil }
            let year = (f.year ?? f.vintage).map { " (\($0))" } ?? ""
            var s = "\(label)\(year) : **\(shown(f, v))**"
            if let ref = f.references.first(where: { $0.value != nil }), let rv = ref.value {
                let name = Sentences.nameFR(ref.territory)
                if let share = ref.share {
                    s += fr ? ", soit \(NumberText.percent(share, language: r.language)) \(Sentences.ofFR(ref.territory))" : ", \(NumberText.percent(share, language: r.language)) of \(Sentences.nameEN(ref.territory))"
                } else {
                    s += fr ? ", contre \(shown(f, rv)) \(ref.territory.level == .municipality ? "à" : "dans") \(name)" : ", against \(shown(f, rv)) in \(Sentences.nameEN(ref.territory))"
                }
            }
            return s
        }
        var out: [String] = []
        let order = ["population", "towns_5000_plus_share", "littoral_share", "ive", "revenu_median_menage", "defavorisation_materielle",
                     "defavorisation_sociale", "densite_population", "logements"]
        for key in order {
            guard out.count < 6, let f = c.figure(key) else { continue }
            let label: String = switch key {
            case "towns_5000_plus_share": fr ? "Part de la population dans les municipalités de 5 000 habitants ou plus" : "Share of the population in towns of 5,000 or more"
            case "littoral_share": fr ? "Part de la population sur le littoral" : "Share of the population on the coast"
            default: f.label
            }
            if let s = item(f, label) { out.append(s) }
        }
        return out.count >= 2 ? out : []
    }

    /// The comparison charts: the territory against its references for each rate, index or share (dot plot), and a
    /// region's MRC by population (bars). Both are figures, with their files for Markdown.
    public static func charts(_ r: Report, mapPrefix: String, files: inout [(String, String)]) -> [PortraitDocument.Block] {
        let fr = r.language == .fr
        var out: [PortraitDocument.Block] = []
        if let c = r.portrait.comparison, let svg = ComparisonCharts.dotPlot(c, territory: r.portrait.territory.name, language: r.language) {
            let file = "\(mapPrefix)-comparaison.svg"
            files.append((file, svg))
            out.append(.figure(svg: svg, caption: fr ? "Comparaison des indicateurs avec les territoires de référence" : "The indicators beside the reference territories", file: file))
        }
        if r.portrait.territory.level == .region, let mrc = r.portrait.mrc, mrc.count > 1,
           let svg = ComparisonCharts.bars(title: fr ? "Population des MRC — \(r.portrait.territory.name)" : "Population of the MRCs — \(r.portrait.territory.name)",
                                           rows: mrc.map { ($0.territory.name, $0.populationTotal) }, kind: .count, unit: fr ? "habitants" : "inhabitants",
                                           language: r.language, id: "barres-mrc") {
            let file = "\(mapPrefix)-mrc-population.svg"
            files.append((file, svg))
            out.append(.figure(svg: svg, caption: fr ? "Population de chaque MRC, \(r.portrait.populationVintage.map(String.init) ?? "")" : "Population of each MRC, \(r.portrait.populationVintage.map(String.init) ?? "")", file: file))
        }
        return out
    }

    /// What an import brought, in words (« Limites des MRC », never « boundaries (mrc) »); the file names stay as they are.
    static func importKind(_ kind: String, _ lang: Language) -> String {
        let fr = lang == .fr
        let words: [String: (String, String)] = [
            "boundaries (municipality)": ("Limites des municipalités", "Municipal boundaries"), "boundaries (mrc)": ("Limites des MRC", "MRC boundaries"),
            "boundaries (region)": ("Limites des régions", "Regional boundaries"), "coastline": ("Trait de côte", "Shoreline"),
            "indicators (municipality)": ("Indicateurs des municipalités", "Municipal indicators"), "indicators (mrc)": ("Indicateurs des MRC", "MRC indicators"),
            "indicators (region)": ("Indicateurs des régions", "Regional indicators"), "indicators": ("Indicateurs", "Indicators"),
            "services": ("Services", "Services"), "mobilisations": ("Mobilisations", "Mobilisations"), "plan": ("Plan d'action", "Action plan"),
            "measurements": ("Mesures des cibles", "Target measurements"), "places": ("Lieux habités", "Inhabited places"),
            "territories": ("Territoires personnalisés", "Custom territories"), "selection": ("Sélection", "Selection"),
            "demo": ("Démonstration", "Demonstration"),
        ]
        if let w = words[kind] { return fr ? w.0 : w.1 }
        let base = kind.split(separator: " ").first.map(String.init) ?? kind
        return words[base].map { fr ? $0.0 : $0.1 } ?? kind.replacingOccurrences(of: "_", with: " ")
    }

    public var html: String { document.html }
    public var markdown: String { document.markdown }

    static func servicesBlocks(_ r: Report, figures: (String) -> [PortraitDocument.Block], n: (Double?) -> String,
                               dec: (Double?, Int) -> String, pct: (Double?) -> String) -> [PortraitDocument.Block] {
        let lang = r.language
        guard !r.services.isEmpty else { return [] }
        var b: [PortraitDocument.Block] = [.heading(2, Words.servicesAndGaps(lang))]
        // Every page says what it measured (issue 36): the minutes by road over the network imported, else the straight
        // line. A fiche says it in its list (its two pages are full).
        let fiche = r.services.contains { $0.nearest != nil }
        let network = r.services.first?.road?.network
        if !fiche { b.append(.paragraph(network.map { Words.measuredRoad($0)(lang) } ?? Words.measuredStraight(lang))) }
        // A fiche: the measure named once, above its categories (its two pages are full).
        if fiche {
            b.append(.paragraph(network.map { lang == .fr ? "Temps par la route (réseau : \($0))." : "Times by road (network: \($0))." }
                                ?? (lang == .fr ? "Distances à vol d'oiseau." : "Straight-line distances.")))
        }
        b += figures("services")
        for s in r.services {
            if s.nearest != nil {
                // A municipality's fiche: one paragraph a category (its sentence begins with the category), the count of
                // services in the territory after it; the map shows the services around it.
                b.append(.paragraph(s.sentence + " " + Words.inTerritory(s.inTerritory)(lang)))
                b += figures("gaps:\(s.category)")
                continue
            }
            b.append(.heading(3, s.label))
            if !s.sentence.isEmpty { b.append(.paragraph(s.sentence)) }
            let km = dec(s.maxKm, s.maxKm.rounded() == s.maxKm ? 0 : 1)
            // By road: every figure in minutes, the straight-line median beside them; else kilometres as the crow flies.
            let road = s.road
            let limit = road.map { dec($0.maxMinutes, $0.maxMinutes.rounded() == $0.maxMinutes ? 0 : 1) + " min" } ?? km
            b.append(.list([
                Words.inTerritory(s.inTerritory),
                road.map { Words.medianMinutes(dec($0.medianMinutes, 1), dec(s.medianKm, 1)) } ?? Words.median(dec(s.medianKm, 1)),
                (road == nil ? Words.beyond : Words.beyondMinutes)(s.beyond, s.beyondMunicipalities ?? s.beyond, limit, n(s.populationConcerned), pct(s.populationShare)),
                (road == nil ? Words.gapArea : Words.gapAreaMinutes)(limit, dec(s.gapAreaKm2, 0)),
            ].map { $0(lang) }))
            if !s.priorities.isEmpty {
                b.append(.table([Words.rank(lang), Words.municipality(lang), "MRC", (road == nil ? Words.nearest : Words.nearestByRoad)(lang), "Population", Words.priority(lang)],
                                s.priorities.enumerated().map { i, a in
                                    let nearest = road == nil ? a.nearestKm.map { dec($0, 1) + " km" } : a.nearestMinutes.map { dec($0, 1) + " min" }
                                    return ["\(i + 1)", "\(a.name) (\(a.code))", a.mrcCode ?? "—", nearest ?? "—", n(a.population), a.priority.map { dec($0, 0) } ?? "—"]
                                }))
                b.append(.paragraph((road == nil ? GapAnalysis.priorityFormula : GapAnalysis.priorityFormulaMinutes)[lang.rawValue] ?? ""))
            }
            b += figures("gaps:\(s.category)")
        }
        return b
    }

    static func mobilisationBlocks(_ r: Report, figures: (String) -> [PortraitDocument.Block], pct: (Double?) -> String) -> [PortraitDocument.Block] {
        let lang = r.language
        guard let m = r.mobilisations else { return [] }
        var b: [PortraitDocument.Block] = [.heading(2, Words.mobilisations(lang))]
        let total = m.municipalitiesByTableCount.values.reduce(0, +)
        var items = [Words.tablesPresent(m.tables.count)(lang)]
        // A map of one flat colour shows nothing: when every municipality has the same number of tables, it is said
        // and the map is not drawn.
        if m.municipalitiesByTableCount.count == 1, let n = m.municipalitiesByTableCount.keys.first { items.append(Words.sameTables(n)(lang)) }
        items.append(Words.overlap(m.overlapping, total)(lang))
        items.append(m.enjeuxWithoutTable.isEmpty ? Words.everyEnjeuCovered(lang)
            : Words.enjeuxWithout(m.enjeuxWithoutTable.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(8)
                .map { "\($0.key) (\($0.value))" }.joined(separator: ", "))(lang))
        b.append(.list(items))
        if !m.tables.isEmpty, r.portrait.territory.level == .municipality {
            // A fiche: the tables in one list (their enjeux are in the region's and MRC's reports).
            b.append(.list(m.tables.map { "\($0.name) (\($0.territory)\($0.start.map { lang == .fr ? ", depuis \($0)" : ", since \($0)" } ?? ""))" }))
        } else if !m.tables.isEmpty {
            b.append(.table([Words.table(lang), Words.territoryWord(lang), Words.since(lang), Words.enjeux(lang)],
                            m.tables.map { [$0.name, $0.territory, $0.start.map(String.init) ?? "—", $0.enjeux.joined(separator: ", ")] }))
        }
        b += figures("mobilisations")
        return b
    }

    /// « Suivi du plan »: each plan covering the territory, its statuses for the plan and the local concertations there.
    static func planBlocks(_ r: Report) -> [PortraitDocument.Block] {
        let lang = r.language, fr = lang == .fr
        var b: [PortraitDocument.Block] = []
        for f in r.plans {
            b.append(.heading(2, (fr ? "Suivi du plan : " : "Plan follow-up: ") + f.title))
            let counts = ProgressStatus.allCases.compactMap { s -> String? in
                let n = f.rows.filter { $0.plan == s }.count
                return n > 0 ? "\(n) \(s.label(lang))" : nil
            }.joined(separator: ", ")
            b.append(.paragraph((fr ? "Situation au \(f.asOf) : \(f.rows.count) cibles ; pour le plan, " : "As of \(f.asOf): \(f.rows.count) targets; for the plan, ")
                                + counts + "." + (f.synthetic ? (fr ? " **Mesures SYNTHÉTIQUES.**" : " **SYNTHETIC measurements.**") : "")
                                + (fr ? " Le tableau de bord complet du plan est publié à part (service Portrait : /plans/\(f.planID))."
                                      : " The plan's full dashboard is published separately (Portrait service: /plans/\(f.planID)).")))
            // Up to three local concertations as columns; more (a region's), in a summary by territory.
            let columns = f.locals.count <= 3
            let header = [fr ? "Cible" : "Target", fr ? "Visée" : "Aim", "Plan"] + (columns ? f.locals.map(\.name) : [])
            b.append(.table(header, f.rows.map { row in
                [row.indicator, row.targetText, row.plan.label(lang)] + (columns ? row.locals.map { $0?.label(lang) ?? "—" } : [])
            }))
            if !columns {
                b.append(.table([fr ? "Territoire" : "Territory"] + ProgressStatus.allCases.map { $0.label(lang) },
                                f.summaries.map { s in [s.name] + ProgressStatus.allCases.map { String(s.counts[$0.rawValue] ?? 0) } }))
            }
        }
        return b
    }

    /// The publication's own words, in both languages.
    enum Words {
        static let sources = Phrase("Sources", "Sources")
        static let file = Phrase("Fichier", "File")
        static let data = Phrase("Données", "Data")
        static let vintage = Phrase("Millésime", "Vintage")
        static let publisher = Phrase("Producteur", "Publisher")
        static let licence = Phrase("Licence", "Licence")
        static let servicesAndGaps = Phrase("Services et lacunes", "Services and gaps")
        static let rank = Phrase("Rang", "Rank")
        static let municipality = Phrase("Municipalité", "Municipality")
        static let nearest = Phrase("Service le plus proche", "Nearest service")
        static let priority = Phrase("Priorité", "Priority")
        static let mobilisations = Phrase("Mobilisations", "Mobilisations")
        static let table = Phrase("Table", "Table")
        static let territoryWord = Phrase("Territoire", "Territory")
        static let since = Phrase("Depuis", "Since")
        static let enjeux = Phrase("Enjeux", "Issues")
        static let everyEnjeuCovered = Phrase("Chaque enjeu travaillé dans la région a une table dans chaque municipalité.",
                                              "Every issue worked on in the region has a table in every municipality.")
        static func synthetic(_ names: String) -> Phrase {
            Phrase("**Valeurs SYNTHÉTIQUES** pour \(names) : illustration seulement, aucune donnée réelle.",
                   "**SYNTHETIC values** for \(names): illustration only, no real data.")
        }
        /// The number bound to its word by a no-break space (never « 1 » at the end of a line, « service » on the next).
        static func inTerritory(_ n: Int) -> Phrase { Phrase("\(n)\u{00A0}service\(n > 1 ? "s" : "") dans le territoire.", "\(n)\u{00A0}service\(n > 1 ? "s" : "") in the territory.") }
        static let measuredStraight = Phrase(
            "Mesure : distance à vol d'oiseau (NAD83 / Québec Lambert, EPSG:32198) de chaque municipalité au service le plus proche de la catégorie, où qu'il soit.",
            "Measure: straight-line distance (NAD83 / Québec Lambert, EPSG:32198) from each municipality to the nearest service of the category, wherever it is.")
        static func measuredRoad(_ network: String) -> Phrase {
            let kmh = NumberFormat.shortest(Routing.defaultOffRoadKmh)
            return Phrase("Mesure : temps de parcours par la route (réseau : \(network)) de chaque municipalité au service le plus proche de la catégorie, où qu'il soit ; la part du trajet hors du réseau comptée à \(kmh) km/h.",
                          "Measure: travel time by road (network: \(network)) from each municipality to the nearest service of the category, wherever it is; the part of the trip off the network counted at \(kmh) km/h.")
        }
        static func medianMinutes(_ minutes: String, _ km: String) -> Phrase {
            Phrase("Temps médian par la route jusqu'au service le plus proche : \(minutes) min (distance médiane à vol d'oiseau : \(km) km).",
                   "Median time by road to the nearest service: \(minutes) min (median straight-line distance: \(km) km).")
        }
        static func beyondMinutes(_ n: Int, _ m: Int, _ minutes: String, _ pop: String, _ share: String) -> Phrase {
            let fr = Phrase.units(n, municipalities: m).fr, en = Phrase.units(n, municipalities: m).en
            return Phrase("À plus de \(minutes) par la route : \(fr), \(pop) habitants (\(share)).",
                          "More than \(minutes) by road: \(en), \(pop) inhabitants (\(share)).")
        }
        static func gapAreaMinutes(_ minutes: String, _ km2: String) -> Phrase {
            Phrase("Territoire à plus de \(minutes) par la route de tout service de la catégorie : \(km2) km².",
                   "Land more than \(minutes) by road from any service of the category: \(km2) km².")
        }
        static let nearestByRoad = Phrase("Plus proche (route)", "Nearest (road)")
        static func median(_ km: String) -> Phrase {
            Phrase("Distance médiane au service le plus proche : \(km) km.", "Median distance to the nearest service: \(km) km.")
        }
        /// `n` units beyond the radius, `m` of them municipalities: both said when they differ (the gap map's legend counts units).
        static func beyond(_ n: Int, _ m: Int, _ km: String, _ pop: String, _ share: String) -> Phrase {
            let fr = Phrase.units(n, municipalities: m).fr, en = Phrase.units(n, municipalities: m).en
            return Phrase("\(fr) à plus de \(km) km, \(pop) habitants concernés (\(share)).", "\(en) beyond \(km) km, \(pop) inhabitants concerned (\(share)).")
        }
        static func gapArea(_ km: String, _ area: String) -> Phrase {
            Phrase("Superficie hors de \(km) km de tout service : \(area) km².", "Area beyond \(km) km of any service: \(area) km².")
        }
        static func sameTables(_ n: String) -> Phrase {
            let fr = n == "4+" ? "de 4 tables ou plus" : n == "1" ? "d'une table" : "de \(n) tables"
            let en = n == "4+" ? "4 tables or more" : n == "1" ? "one table" : "\(n) tables"
            return Phrase("Chaque municipalité relève \(fr) : la carte des tables, d'une seule classe, n'est pas dessinée.",
                          "Every municipality is covered by \(en): the map of tables, all in one class, is not drawn.")
        }

        static func tablesPresent(_ n: Int) -> Phrase {
            Phrase("\(n) table\(n > 1 ? "s" : "") de concertation couvre\(n > 1 ? "nt" : "") le territoire.",
                   "\(n) concertation table\(n > 1 ? "s cover" : " covers") the territory.")
        }
        static func overlap(_ n: Int, _ total: Int) -> Phrase {
            Phrase("\(n) municipalité\(n > 1 ? "s" : "") sur \(total) relève\(n > 1 ? "nt" : "") de deux tables ou plus.",
                   "\(n) of \(total) municipalities fall under two tables or more.")
        }
        static func enjeuxWithout(_ list: String) -> Phrase {
            Phrase("Enjeux de la région sans table (nombre de municipalités) : \(list).", "Regional issues with no table (municipalities): \(list).")
        }
    }
}
