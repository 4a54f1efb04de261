import Foundation
import PortraitModel
import PortraitStore
import PortraitTerritory

/// The tables of a portrait as data, for CSV and workbooks: its indicators by part of the territory, their classes,
/// every municipality's value, the comparison with the references, the services and the sources. Each row
/// carries its unit, its vintage and its source; values stay the numbers the report computed (never reformatted
/// text), and a value the store does not have is an empty cell with its state said beside it.
public enum ReportTables {
    public static func tables(_ r: Report, territory: Territory, store: any TerritoryStore) throws -> [DataTable] {
        let p = r.portrait
        let fr = r.language == .fr
        var sourceCache: [String: String] = [:]
        func source(_ name: String, _ vintage: Int?) -> DataTable.Cell {
            guard let vintage else { return .empty }
            let key = "\(name)|\(vintage)"
            if let s = sourceCache[key] { return .text(s) }
            let s = ((try? store.indicatorSources(name, vintage: vintage)) ?? []).map(SourceCatalogue.cite).joined(separator: " ; ")
            sourceCache[key] = s
            return s.isEmpty ? .empty : .text(s)
        }
        func measure(_ i: IndicatorSummary) -> String {
            i.kind == .count ? "total" : i.weight == "superficie_terre" ? (fr ? "population totale / superficie totale" : "total population / total area")
                : (fr ? "moyenne pondérée par la population" : "population-weighted mean")
        }

        // 1. Indicators of the territory and of each of its parts.
        var parts: [(String, String, TerritorialPortrait)] = [(fr ? "ensemble" : "whole", p.territory.name, p)]
        if let l = p.littoral { parts.append(("littoral", fr ? "Littoral" : "Coast", l.portrait)) }
        if let i = p.interieur { parts.append(("interieur", fr ? "Intérieur" : "Inland", i.portrait)) }
        for m in p.mrc ?? [] { parts.append(("mrc \(m.territory.code)", m.territory.name, m)) }
        for g in p.regions ?? [] { parts.append(("region \(g.territory.code)", g.territory.name, g)) }
        var indicators = DataTable(name: "indicateurs", title: fr ? "Indicateurs par partie du territoire" : "Indicators by part of the territory",
                                   columns: ["territoire_code", "territoire", "partie", "partie_nom", "indicateur", "libelle", "mesure", "valeur",
                                             "unite", "millesime", "source", "territoires_avec_valeur", "confidentielles", "sans_valeur"], rows: [])
        let withPopulation = !p.indicators.contains { $0.name == "population" }
        for (part, name, q) in parts {
            // The population the portrait is built on, first.
            if withPopulation, let v = p.populationVintage {
                indicators.rows.append([.text(p.territory.code), .text(p.territory.name), .text(part), .text(name), .text("population"),
                                        .text(fr ? "Population" : "Population"), .text("total"), .of(q.populationTotal), .text("habitants"),
                                        .integer(v), source("population", v), .integer(q.municipalityCount + q.tnoCount + q.reserveCount - q.missing.withoutPopulation.count),
                                        .integer(q.missing.suppressed["population"]?.count ?? 0), .integer(q.missing.withoutPopulation.count)])
            }
            for i in q.indicators {
                indicators.rows.append([.text(p.territory.code), .text(p.territory.name), .text(part), .text(name), .text(i.name), .text(i.label),
                                        .text(measure(i)), .of(i.total ?? i.weightedMean), .text(i.unit), .integer(i.vintage), source(i.name, i.vintage),
                                        .integer(i.withValue), .integer(i.suppressed.count), .integer(i.withoutValue.count)])
            }
        }

        // 2. Classes of each indicator.
        var classes = DataTable(name: "classes", title: fr ? "Classes de chaque indicateur" : "Classes of each indicator",
                                columns: ["indicateur", "libelle", "methode", "classe", "libelle_classe", "borne_inferieure", "borne_superieure",
                                          "territoires", "part_des_territoires", "population", "part_de_la_population", "unite", "millesime", "source"], rows: [])
        for i in p.indicators {
            for c in i.classes {
                classes.rows.append([.text(i.name), .text(i.label), .text(i.method.rawValue), .integer(c.index), .text(c.label), .of(c.lower), .of(c.upper),
                                     .integer(c.municipalities), .of(c.municipalityShare), .of(c.population), .of(c.populationShare),
                                     .text(i.unit), .integer(i.vintage), source(i.name, i.vintage)])
            }
        }

        // 3. Every municipality's value of every indicator, in long form.
        var municipal = DataTable(name: "municipalites", title: fr ? "Valeur de chaque municipalité" : "Value of each municipality",
                                  columns: ["code", "nom", "designation", "mrc", "littoral_interieur", "indicateur", "valeur", "etat", "unite", "millesime", "source"],
                                  rows: [])
        let units = try store.municipalities(in: territory, withGeometry: false).filter { !$0.isAquatic }
        var series: [(name: String, unit: String, vintage: Int)] = p.indicators.map { ($0.name, $0.unit, $0.vintage) }
        if withPopulation, let v = p.populationVintage { series.insert(("population", "habitants", v), at: 0) }
        for i in series {
            let values = try store.indicatorValues(i.name, vintage: i.vintage, level: .municipality)
            for u in units {
                let cell = values[u.code]
                let state = cell == nil || cell == .missing ? (fr ? "sans valeur" : "no value") : cell == .suppressed ? (fr ? "confidentielle" : "suppressed") : "valeur"
                municipal.rows.append([.text(u.code), .text(u.name), .of(u.designation), .of(u.mrcCode), .of(u.coastClass?.rawValue), .text(i.name),
                                       .of(cell?.number), .text(state), .text(i.unit), .integer(i.vintage), source(i.name, i.vintage)])
            }
        }

        // 4. The comparison with the references.
        var comparison = DataTable(name: "comparaison", title: fr ? "Comparaison avec les territoires de référence" : "Comparison with the reference territories",
                                   columns: ["indicateur", "libelle", "valeur", "methode", "reference_code", "reference", "valeur_reference",
                                             "part_de_la_reference", "rang", "sur", "quintile", "unite", "millesime", "source"], rows: [])
        for f in p.comparison?.figures ?? [] {
            let refs: [ComparisonFigure.Reference?] = f.references.isEmpty ? [nil] : f.references
            for ref in refs {
                comparison.rows.append([.text(f.key), .text(f.label), .of(f.value), .text(f.method), .of(ref?.territory.code), .of(ref?.territory.name),
                                        .of(ref?.value), .of(ref?.share), .of(f.rank?.rank), .of(f.rank?.of), .of(f.quintile),
                                        .text(f.unit == "share" ? "part" : f.unit), .of(f.vintage),
                                        IndicatorDefinition.catalogue[f.key] != nil || p.indicators.contains { $0.name == f.key } ? source(f.key, f.vintage) : source("population", p.populationVintage)])
            }
        }

        var out = [indicators, classes, municipal, comparison]

        // 5. Services and gaps, one measure a row.
        if !r.services.isEmpty {
            // The limit and what was measured, on every row: kilometres as the crow flies, or minutes by road over the
            // network named.
            var services = DataTable(name: "services", title: fr ? "Services et lacunes" : "Services and gaps",
                                     columns: ["categorie", "libelle", "mesure", "valeur", "unite", "limite", "unite_limite", "mesure_acces", "source"], rows: [])
            for s in r.services {
                // The files the category's services were imported from, as stored with each service.
                let files = Set(try store.services(category: s.category).map(\.source)).sorted()
                let src: DataTable.Cell = files.isEmpty ? .empty : .text(files.map(SourceCatalogue.cite).joined(separator: " ; "))
                let road = s.road
                let beyond = road == nil ? (fr ? "au-delà du rayon" : "beyond the radius") : (fr ? "au-delà de la limite par la route" : "beyond the limit by road")
                var rows: [(String, Double?, String)] = [
                    (fr ? "services dans le territoire" : "services in the territory", Double(s.inTerritory), "services"),
                    (fr ? "distance médiane au plus proche (à vol d'oiseau)" : "median distance to the nearest (straight line)", s.medianKm, "km"),
                ]
                if let road { rows.append((fr ? "temps médian au plus proche par la route" : "median time to the nearest by road", road.medianMinutes, "min")) }
                rows += [
                    (fr ? "unités \(beyond) (municipalités, TNO, réserves)" : "units \(beyond) (municipalities, TNO, reserves)", Double(s.beyond), "unités"),
                    (fr ? "municipalités \(beyond)" : "municipalities \(beyond)", s.beyondMunicipalities.map(Double.init), "municipalités"),
                    (fr ? "population concernée" : "population concerned", s.populationConcerned, "habitants"),
                    (fr ? "part de la population concernée" : "share of the population concerned", s.populationShare, "part"),
                    (fr ? "superficie hors de portée" : "area out of reach", s.gapAreaKm2, "km²"),
                ]
                let measure = road.map { "temps de parcours par la route (réseau : \($0.network))" } ?? "distance à vol d'oiseau"
                for (what, v, unit) in rows {
                    services.rows.append([.text(s.category), .text(s.label), .text(what), .of(v), .text(unit), .number(road?.maxMinutes ?? s.maxKm),
                                          .text(road == nil ? "km" : "min"), .text(measure), src])
                }
            }
            out.append(services)
        }

        // The plans' follow-up: one row per target and territory (the plan's, each local concertation's there).
        if !r.plans.isEmpty {
            var rows: [[DataTable.Cell]] = []
            for f in r.plans {
                let own = f.summaries.first { $0.role == "plan" }
                for row in f.rows {
                    rows.append([.text(f.planID), .text(row.targetID), .text(row.indicator), .text(row.targetText), .text(own?.territory ?? f.planID),
                                 .text(own?.name ?? f.title),
                                 .text(row.plan.rawValue), .text(f.asOf)])
                    for (l, status) in zip(f.locals, row.locals) {
                        rows.append([.text(f.planID), .text(row.targetID), .text(row.indicator), .text(row.targetText), .text(l.territory), .text(l.name),
                                     .of(status?.rawValue), .text(f.asOf)])
                    }
                }
            }
            out.append(DataTable(name: "suivi_plan", title: "Suivi du plan",
                                 columns: ["plan", "cible_id", "indicateur", "cible", "territoire", "nom", "statut", "situation_au"], rows: rows))
        }
        // 6. The sources.
        out.append(DataTable(name: "sources", title: "Sources", columns: ["fichier", "donnees", "millesime", "producteur", "licence", "importe_le"],
                             rows: r.sources.map { [.text($0.file), .text($0.kind), .of($0.vintage), .text($0.publisher), .text($0.licence), .text($0.importedAt)] }))
        return out
    }
}
