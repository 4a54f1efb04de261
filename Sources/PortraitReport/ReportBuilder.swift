import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial
import PortraitRender
import PortraitStore
import PortraitTerritory

/// Options of a publication.
public struct ReportOptions: Sendable {
    public var territory: Territory
    public var language: Language
    /// Population vintage (the latest when nil).
    public var vintage: Int?
    /// Distance beyond which a municipality is in a service gap, in km.
    public var maxKm: Double
    /// With a road network in the store: the minutes by road beyond which a municipality is in a service gap.
    public var maxMinutes: Double = 20
    public var stylesDirectory: String
    /// Map width in pixels.
    public var width: Double
    /// Draw the maps (not needed for the JSON figures).
    public var maps: Bool
    /// An earlier vintage: the change of every indicator since then, with its map.
    public var compare: Int?
    /// The one territory to compare with (`--reference`), instead of the MRC, region and store.
    public var reference: Territory?
    /// A count indicator the shares are computed on (`--base`).
    public var base: String?
    /// The date of the plans' statuses (« Suivi du plan »): today when nil.
    public var planDate: PlanDate?

    public init(territory: Territory, language: Language = .fr, vintage: Int? = nil, maxKm: Double = 15,
                stylesDirectory: String = StyleCatalogue.directory(nil), width: Double = 900, maps: Bool = true) {
        self.territory = territory; self.language = language; self.vintage = vintage; self.maxKm = maxKm
        self.stylesDirectory = stylesDirectory; self.width = width; self.maps = maps
    }
}

/// Builds the publication of a region or an MRC from the store: the portrait,
/// services and gaps for each imported category, mobilisations, sources, and
/// every map (coast/inland, population, each indicator, services, gaps, mobilisations).
public enum ReportBuilder {
    public static func build(storePath: String, options o: ReportOptions) throws -> Report {
        try build(store: try Stores.open(storePath), options: o)
    }

    public static func build(store: any TerritoryStore, options o: ReportOptions) throws -> Report {
        let lang = o.language, t = o.territory
        var o = o
        // A municipality's fiche shows its change over time whenever an earlier vintage exists.
        if t.kind == .municipality { o.width = min(o.width, 620) }
        if t.kind == .municipality, o.compare == nil {
            let earlier = try store.indicatorDefinitions().flatMap { d in try store.vintages(d.name).dropFirst() }
            o.compare = earlier.min()
        }
        let portrait = try PortraitBuilder.build(store: store, options: .init(territory: t, vintage: o.vintage, language: lang, compare: o.compare,
                                                                             reference: o.reference, base: o.base))
        let units = try store.municipalities(in: t, withGeometry: false).filter { !$0.isAquatic }
        let categories = try store.serviceCategories()
        let styles = o.stylesDirectory
        let servicesStyle = try StyleCatalogue.load("services", from: styles)

        // Services and gaps, by category.
        var sections: [Report.ServiceSection] = []
        var analyses: [String: GapReport] = [:]
        // A municipality's fiche names the nearest service of each category, from where its people live.
        let single = t.kind == .municipality ? try store.municipalities(in: t, withGeometry: true).first { !$0.isAquatic } : nil
        let home = try single.map { try Access.representativePoints([$0], store: store)[0] }
        // The codes of the territory's municipalities (not its TNO or reserves): the gaps say how many of their units are.
        let municipal = Set(units.filter { Designation.isMunicipality($0.designation) }.map(\.code))
        // With a road network, every section is measured in minutes by road (the straight line kept beside).
        let network = try store.roadNetworkName()
        let road = try network != nil ? store.roadNetwork().map { Routing(network: $0.network) } : nil
        for c in categories {
            let g = try GapAnalysis.run(store: store, territory: t, category: c, maxKm: o.maxKm, base: o.base,
                                        maxMinutes: network != nil ? o.maxMinutes : nil, routing: road)
            analyses[c] = g
            let distances = g.municipalities.compactMap(\.nearestKm).sorted()
            var section = Report.ServiceSection(
                category: c, label: servicesStyle.symbol(for: c, among: categories).label(lang),
                inTerritory: try store.services(category: c, in: t).count, medianKm: median(distances), maxKm: o.maxKm,
                beyond: g.gaps.count, beyondMunicipalities: g.gaps.filter { municipal.contains($0.code) }.count,
                populationConcerned: g.populationConcerned, populationShare: g.populationShare,
                gapAreaKm2: g.gapAreaKm2, priorities: Array(g.gaps.prefix(10)))
            if let network {
                section.road = .init(network: network, maxMinutes: o.maxMinutes,
                                     medianMinutes: median(g.municipalities.compactMap(\.nearestMinutes).sorted()))
            }
            if let home, let road {
                // The nearest service by road from where the municipality's people live, and the straight line to it.
                let all = try store.services(category: c)
                if let a = try road.costs(to: all.map(\.position), by: .time, search: store.roadSearch).answer(home) {
                    let s = all[a.service], minutes = (a.cost * 10).rounded() / 10
                    section.nearest = .init(name: s.name, municipalityCode: s.municipalityCode,
                                            km: (Geodesic.distance(home, s.position) / 10).rounded() / 100, inGap: minutes > o.maxMinutes)
                    section.nearest?.minutes = minutes
                }
            } else if let home {
                let all = try store.services(category: c)
                if let (i, km) = try Access.nearestService(from: home, to: all.map(\.position)) {
                    let rounded = (km * 100).rounded() / 100
                    section.nearest = .init(name: all[i].name, municipalityCode: all[i].municipalityCode, km: rounded, inGap: rounded > o.maxKm)
                }
            }
            section.sentence = ServiceSentences.sentence(section, territory: portrait.territory, base: portrait.base?.label, language: lang)
            sections.append(section)
        }

        // Mobilisations.
        let all = try store.mobilisations()
        var mobilisations: Report.MobilisationSection?
        if !all.isEmpty {
            // The coverage counts municipalities (not TNO, reserves or water), as every count of municipalities in the report.
            let coverage = MobilisationCoverage.compute(units: units.filter { municipal.contains($0.code) }, mobilisations: all)
            let present = all.filter { m in units.contains { m.covers($0) } }
            var byCount: [String: Int] = [:]
            for c in coverage { byCount[c.tableCount >= 4 ? "4+" : String(c.tableCount), default: 0] += 1 }
            var without: [String: Int] = [:]
            for c in coverage { for e in c.enjeuxWithoutTable { without[e, default: 0] += 1 } }
            mobilisations = Report.MobilisationSection(
                tables: present.map { .init(id: $0.id, name: $0.name, level: $0.scale ?? $0.territoryType.rawValue,
                                            territory: "\($0.territoryType == .region ? "région" : $0.territoryType == .mrc ? "MRC" : "municipalité") \($0.territoryCode)",
                                            start: $0.start, enjeux: $0.enjeux) },
                municipalitiesByTableCount: byCount, overlapping: coverage.filter { $0.tableCount >= 2 }.count,
                enjeuxWithoutTable: without)
        }

        // Sources: the newest import of each file.
        var seen = Set<String>()
        var sources: [Report.Source] = []
        for e in try store.imports(limit: 500) where e.kind != "classify-coast" {
            let file = e.sourceFile.map { ($0 as NSString).lastPathComponent } ?? e.kind
            guard seen.insert(file).inserted else { continue }
            let (publisher, licence) = SourceCatalogue.lookup(file)
            sources.append(.init(file: file, kind: e.kind + (e.level.map { " (\($0))" } ?? ""),
                                 vintage: e.parameters["vintage"], publisher: publisher, licence: licence, importedAt: e.importedAt))
        }
        sources.sort { ($0.kind, $0.file) < ($1.kind, $1.file) }
        let synthetic = try store.indicatorDefinitions().map(\.name).filter { name in
            try store.vintages(name).first.map { try store.indicatorSources(name, vintage: $0) }?
                .contains { $0.uppercased().contains("SYNTH") } ?? false
        }

        let maps = !o.maps ? [] : try self.maps(store: store, options: o, categories: categories, portrait: portrait,
                                                hasMobilisations: !all.isEmpty && (mobilisations?.municipalitiesByTableCount.count ?? 0) > 1, gaps: analyses,
                                                routing: road)
        var report = Report(portrait: portrait, services: sections, mobilisations: mobilisations, sources: sources, synthetic: synthetic,
                            maps: maps, language: lang)
        // « Suivi du plan »: every plan whose mobilisation or local concertations cover the territory.
        for p in try store.plans() {
            let d = try PlanBuilder.build(store: store, options: PlanOptions(planID: p.id, asOf: o.planDate ?? .today(), language: lang))
            if let f = PlanFollowUp.of(d, units: units) { report.plans.append(f) }
        }
        return report
    }

    /// Every map of the publication, each drawn from the same store.
    static func maps(store: any TerritoryStore, options o: ReportOptions, categories: [String], portrait: TerritorialPortrait,
                     hasMobilisations: Bool, gaps: [String: GapReport] = [:], routing: Routing? = nil) throws -> [Report.Map] {
        let lang = o.language
        let roads = try store.roadNetworkName() != nil
        var specs: [(section: String, name: String, request: RenderRequest)] = []
        func request(_ style: String, indicator: String? = nil, categories: [String] = [], compare: Int? = nil) -> RenderRequest {
            var r = RenderRequest(territory: o.territory, style: style, indicator: indicator, width: o.width, language: lang,
                                  stylesDirectory: o.stylesDirectory, categories: categories, maxKm: o.maxKm, compare: compare)
            if roads { r.maxMinutes = o.maxMinutes }
            return r
        }
        // A municipality's fiche: one map, centred on it among its neighbours, with the services around it.
        if o.territory.kind == .municipality {
            let style = categories.isEmpty ? "littoral" : "services"
            specs.append(("key", style, request(style)))
            return try draw(specs, store: store, options: o, gaps: gaps, routing: routing)
        }
        // The indicators that weigh others (DA populations with a quintile) are figures, not maps.
        let definitions = Dictionary(try store.indicatorDefinitions().map { ($0.name, $0) }) { a, _ in a }
        let weights = Set(definitions.values.compactMap(\.weight))
        if portrait.littoral != nil { specs.append(("coast", "littoral", request("littoral"))) }
        let indicators = Array(definitions.keys)
        if indicators.contains("population") { specs.append(("key", "population", request("population"))) }
        for c in portrait.changes ?? [] where !weights.contains(c.name) {
            specs.append(("change", "evolution-\(c.name)", request("evolution", indicator: c.name, compare: c.from)))
        }
        for ind in portrait.indicators where ind.name != "population" && !weights.contains(ind.name) {
            // Counts in proportional circles; rates, shares and indices in choropleths.
            let style = StyleCatalogue.defaultStyle(for: definitions[ind.name] ?? IndicatorDefinition.named(ind.name, kind: ind.kind))
            specs.append(("indicator:\(ind.name)", ind.name, request(style, indicator: ind.name)))
            // The former MAMROT reading of the IVE beside its quintiles.
            if ind.name == "ive" { specs.append(("indicator:\(ind.name)", "ive-seuil", request("vitalite-seuil", indicator: ind.name))) }
        }
        if !categories.isEmpty { specs.append(("services", "services", request("services"))) }
        // Need against access, when a need indicator is imported (deprivation, vitality).
        let bivariate = try StyleCatalogue.load("bivarie", from: o.stylesDirectory)
        let hasNeed = bivariate.prefer?.contains { indicators.contains($0) } == true
        for c in categories {
            // With a road network, the areas within 10, 20 and 30 minutes by road; else the gaps as the crow flies.
            if roads { specs.append(("gaps:\(c)", "aires-\(c)", request("aires-service", categories: [c]))) }
            else { specs.append(("gaps:\(c)", "lacunes-\(c)", request("gaps", categories: [c]))) }
            if hasNeed { specs.append(("gaps:\(c)", "besoin-acces-\(c)", request("bivarie", categories: [c]))) }
        }
        if hasMobilisations { specs.append(("mobilisations", "mobilisations", request("mobilisations"))) }
        return try draw(specs, store: store, options: o, gaps: gaps, routing: routing)
    }

    static func draw(_ specs: [(section: String, name: String, request: RenderRequest)], store: any TerritoryStore, options o: ReportOptions,
                     gaps: [String: GapReport], routing: Routing? = nil) throws -> [Report.Map] {
        var out: [Report.Map] = []
        // Units, shoreline, regions, population and the road network read once for every map of the publication.
        let shared = MapData.Shared()
        shared.routing = routing
        for (i, s) in specs.enumerated() {
            let style = try StyleCatalogue.load(s.request.style, from: o.stylesDirectory)
            // The gaps map of a category draws the analysis the report already made.
            let data = try MapData.load(store: store, request: s.request, style: style, gaps: s.request.categories.first.flatMap { gaps[$0] },
                                        shared: shared)
            let svg = try MapRenderer.compose(data, style: style, request: s.request)
            out.append(Report.Map(section: s.section, name: s.name, caption: caption(svg), svg: SVGInline.prefixIDs(svg, "c\(i + 1)")))
        }
        return out
    }

    /// The map's title and subtitle, as its caption.
    static func caption(_ svg: String) -> String {
        func text(_ cls: String) -> String? {
            guard let r = svg.range(of: "<text class=\"\(cls)\""), let a = svg[r.upperBound...].firstIndex(of: ">"),
                  let b = svg[a...].range(of: "</text>") else { return nil }
            return String(svg[svg.index(after: a)..<b.lowerBound])
        }
        return [text("titre"), text("sous-titre")].compactMap { $0 }.joined(separator: " · ")
            .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
    }

    static func median(_ sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let m = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2
    }
}

/// SVG maps inlined in one HTML page: their ids made unique.
enum SVGInline {
    /// The ids a map defines and refers to (`id="…"`, `url(#…)`), plus its panels' `panneau-…` ids.
    static let ids: Set<String> = ["titre", "description", "hachures-sans-donnee", "hachures-confidentiel", "hachures-lacune", "legende",
                                   "lacune-1", "lacune-2", "lacune-3"]

    /// `svg` with its ids (and the references to them) prefixed by `prefix-`, in one pass over its bytes
    /// (maps are hundreds of kilobytes; repeated Foundation replacements took seconds per report).
    static func prefixIDs(_ svg: String, _ prefix: String) -> String {
        let bytes = Array(svg.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 512)
        let idOpen = Array("id=\"".utf8), urlOpen = Array("url(#".utf8)
        let labelled = Array("aria-labelledby=\"titre description\"".utf8)
        let prefixed = Array("\(prefix)-".utf8)
        func at(_ literal: [UInt8], _ k: Int) -> Bool {
            k + literal.count <= bytes.count && bytes[k..<(k + literal.count)].elementsEqual(literal)
        }
        /// The name from `start` up to `end` (exclusive), when it is one to prefix.
        func prefixable(_ start: Int, until end: UInt8) -> Int? {
            guard let close = bytes[start...].firstIndex(of: end) else { return nil }
            let name = String(decoding: bytes[start..<close], as: UTF8.self)
            return ids.contains(name) || name.hasPrefix("panneau-") ? close : nil
        }
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "i"), at(idOpen, i), let close = prefixable(i + idOpen.count, until: UInt8(ascii: "\"")) {
                out.append(contentsOf: idOpen); out.append(contentsOf: prefixed); out.append(contentsOf: bytes[(i + idOpen.count)..<close])
                i = close
                continue
            }
            if c == UInt8(ascii: "u"), at(urlOpen, i), let close = prefixable(i + urlOpen.count, until: UInt8(ascii: ")")),
               !String(decoding: bytes[(i + urlOpen.count)..<close], as: UTF8.self).hasPrefix("panneau-") {
                out.append(contentsOf: urlOpen); out.append(contentsOf: prefixed); out.append(contentsOf: bytes[(i + urlOpen.count)..<close])
                i = close
                continue
            }
            if c == UInt8(ascii: "a"), at(labelled, i) {
                out.append(contentsOf: Array("aria-labelledby=\"\(prefix)-titre \(prefix)-description\"".utf8))
                i += labelled.count
                continue
            }
            out.append(c)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
