import Foundation
import PortraitModel
import PortraitStore

/// One target's status in one territory, with the target's indicator text beside it (what the JSON gives).
public struct TargetStatus: Codable, Sendable, Hashable {
    public var targetID: String
    public var indicator: String
    public var axis: String?
    /// The plan's mobilisation, a local concertation's id, or `mrc:CODE` / `region:CODE`.
    public var territory: String
    public var territoryName: String
    /// "plan" (the plan's own mobilisation), "local" (one of its local concertations), or "autre".
    public var role: String
    public var status: ProgressStatus
    public var statusLabel: String
    public var reason: String
    public var progress: TargetProgress
    public var measurements: [TargetMeasurement]
    enum CodingKeys: String, CodingKey {
        case targetID = "target_id", indicator, axis, territory, territoryName = "territory_name", role, status, statusLabel = "status_label",
             reason, progress, measurements
    }
}

/// A target of the plan with its status for the plan and for each territory measured against it.
public struct TargetRow: Codable, Sendable, Hashable {
    public var target: PlanTarget
    /// « ≥ 75 % », « < 2018 » …
    public var targetText: String
    public var plan: TargetStatus
    public var territories: [TargetStatus]
    enum CodingKeys: String, CodingKey { case target, targetText = "target_text", plan, territories }
}

/// The statuses of one territory (a local concertation or the plan itself) across the plan's targets.
public struct TerritorySummary: Codable, Sendable, Hashable {
    public var territory: String
    public var name: String
    public var role: String
    /// The MRC (or region) the territory covers, for the plan's map.
    public var level: Level?
    public var code: String?
    public var counts: [String: Int]
    public var measured: Int
    public var onTrack: Int
    /// Targets achieved or on track among the targets with a status other than « sans donnée »; nil without any.
    public var onTrackShare: Double?
    enum CodingKeys: String, CodingKey { case territory, name, role, level, code, counts, measured, onTrack = "on_track", onTrackShare = "on_track_share" }
}

/// A plan's « tableau de bord »: every target, its status for the plan and each territory, and the summary by
/// territory, as of a date.
public struct PlanDashboard: Codable, Sendable {
    public var plan: Plan
    public var mobilisation: Mobilisation?
    public var asOf: String
    public var language: Language
    public var axes: [String]
    public var targets: [TargetRow]
    public var summaries: [TerritorySummary]
    /// Values that could not be decided (a vintage with a municipality without value, an unknown indicator…),
    /// listed and left out.
    public var undecided: [String]
    /// Filters applied (axis, territory), for the page to say so.
    public var axisFilter: String?
    public var territoryFilter: String?
    public var sources: [String]
    public var synthetic: Bool
    /// The labels of the indicators the targets' rules name, in the dashboard's language (a page names them in words).
    public var indicatorLabels: [String: String] = [:]
    enum CodingKeys: String, CodingKey {
        case plan, mobilisation, asOf = "as_of", language, axes, targets, summaries, undecided, axisFilter = "axis_filter",
             territoryFilter = "territory_filter", sources, synthetic, indicatorLabels = "indicator_labels"
    }
}

public struct PlanOptions: Sendable {
    public var planID: String
    public var asOf: PlanDate
    public var language: Language
    public var axis: String?
    public var territory: String?
    public init(planID: String, asOf: PlanDate = .today(), language: Language = .fr, axis: String? = nil, territory: String? = nil) {
        self.planID = planID; self.asOf = asOf; self.language = language; self.axis = axis; self.territory = territory
    }
}

/// A plan asked for that the store does not hold.
public struct PlanError: PortraitError, Sendable {
    public var message: String
    public var kind: ErrorKind
    public init(_ message: String, kind: ErrorKind = .notFound) { self.message = message; self.kind = kind }
    public var description: String { message }
}

public enum PlanBuilder {
    public static func build(storePath: String, options: PlanOptions) throws -> PlanDashboard {
        try build(store: try Stores.open(storePath, writable: false), options: options)
    }

    public static func build(store: any TerritoryStore, options o: PlanOptions) throws -> PlanDashboard {
        let plans = try store.plans()
        guard let plan = plans.first(where: { $0.id == o.planID }) else {
            throw PlanError("plan « \(o.planID) » absent du magasin ; plans : "
                            + (plans.isEmpty ? "aucun (portrait import plan FICHIER, ou import mobilisations --targets)" : plans.map(\.id).joined(separator: ", ")))
        }
        let fr = o.language == .fr
        let mobilisations = try store.mobilisations()
        let mob = mobilisations.first { $0.id == plan.mobilisationID }
        let locals = mob.map { $0.locals(among: mobilisations) } ?? []
        let targets = try store.planTargets(plan: plan.id)
        var recorded = Dictionary(grouping: try store.measurements(plan: plan.id), by: \.targetID)
        var undecided: [String] = []
        // Targets tied to an indicator: their measurements from the indicator's vintages, in the plan's territory and each local's.
        let definitions = Dictionary(try store.indicatorDefinitions().map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for t in targets {
            guard let rule = t.rule else { continue }
            var derived: [TargetMeasurement] = []
            guard definitions[rule.indicator] != nil else {
                undecided.append("\(t.id) : l'indicateur « \(rule.indicator.replacingOccurrences(of: "_", with: " ")) » n'est pas dans le magasin (il s'importe avec les indicateurs) : aucune mesure")
                recorded[t.id] = []
                continue
            }
            for m in [mob].compactMap({ $0 }) + locals {
                let (values, problems) = try IndicatorMeasure.values(rule, definition: definitions[rule.indicator], store: store,
                                                                     territory: try Territory(m.territoryType, code: m.territoryCode))
                derived += values.sorted { $0.vintage < $1.vintage }.map { TargetMeasurement(targetID: t.id, territory: m.id, date: String($0.vintage), value: $0.value,
                                                    source: $0.source, comment: nil, fromIndicator: true) }
                undecided += problems.map { "\(t.id) (\(m.id)) : \($0)" }
            }
            recorded[t.id] = derived
        }
        func name(_ key: String) throws -> String {
            if let m = mobilisations.first(where: { $0.id == key }) { return m.name }
            let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
            if parts.count == 2, let level = Level(rawValue: parts[0]), let u = try store.unit(level, code: parts[1]) {
                return (level == .mrc ? "MRC " : fr ? "Région " : "Region ") + u.name
            }
            return key
        }
        func role(_ key: String) -> String { key == plan.mobilisationID ? "plan" : locals.contains { $0.id == key } ? "local" : "autre" }
        func status(_ t: PlanTarget, _ key: String, _ ms: [TargetMeasurement]) throws -> TargetStatus {
            let p = ProgressRule.evaluate(t, measurements: ms, planStart: plan.start, asOf: o.asOf)
            return TargetStatus(targetID: t.id, indicator: t.indicator, axis: t.axis, territory: key, territoryName: try name(key),
                                role: role(key), status: p.status, statusLabel: p.status.label(o.language), reason: p.reason(o.language),
                                progress: p, measurements: ms)
        }
        var rows: [TargetRow] = []
        for t in targets where o.axis == nil || t.axis == o.axis {
            let byTerritory = Dictionary(grouping: recorded[t.id] ?? [], by: \.territory)
            var keys = Set(byTerritory.keys).subtracting([plan.mobilisationID])
            if t.scope == .eachLocal { keys.formUnion(locals.map(\.id)) }
            let order = locals.map(\.id)
            let sorted = keys.sorted { (order.firstIndex(of: $0) ?? Int.max, $0) < (order.firstIndex(of: $1) ?? Int.max, $1) }
            var row = TargetRow(target: t, targetText: targetText(t, o.language),
                                plan: try status(t, plan.mobilisationID, byTerritory[plan.mobilisationID] ?? []),
                                territories: try sorted.map { try status(t, $0, byTerritory[$0] ?? []) })
            if let tf = o.territory { row.territories = row.territories.filter { $0.territory == tf } }
            rows.append(row)
        }
        // Summary by territory: the plan's, then each local's and any other measured.
        var summaries: [TerritorySummary] = []
        var keys = [plan.mobilisationID] + locals.map(\.id)
        for r in rows { for s in r.territories where !keys.contains(s.territory) { keys.append(s.territory) } }
        for key in keys where o.territory == nil || key == o.territory || key == plan.mobilisationID {
            let statuses = rows.compactMap { r in key == plan.mobilisationID ? r.plan : r.territories.first { $0.territory == key } }
            var counts: [String: Int] = [:]
            for s in ProgressStatus.allCases { counts[s.rawValue] = 0 }
            for s in statuses { counts[s.status.rawValue, default: 0] += 1 }
            let measured = statuses.filter { $0.status != .noData }.count
            let on = statuses.filter { $0.status.isOnTrack }.count
            let m = mobilisations.first { $0.id == key }
            let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
            summaries.append(TerritorySummary(territory: key, name: try name(key), role: role(key),
                                              level: m?.territoryType ?? (parts.count == 2 ? Level(rawValue: parts[0]) : nil),
                                              code: m?.territoryCode ?? (parts.count == 2 ? parts[1] : nil), counts: counts, measured: measured,
                                              onTrack: on, onTrackShare: measured > 0 ? Double(on) / Double(measured) : nil))
        }
        var sources = [plan.source ?? plan.title]
        for r in rows { for s in [r.plan] + r.territories { for m in s.measurements { if let src = m.source, !sources.contains(src) { sources.append(src) } } } }
        var axes: [String] = []
        for t in targets { if let a = t.axis, !axes.contains(a) { axes.append(a) } }
        let synthetic = sources.contains { $0.localizedCaseInsensitiveContains("synth") }
        var d = PlanDashboard(plan: plan, mobilisation: mob, asOf: o.asOf.isoDay, language: o.language, axes: axes, targets: rows,
                              summaries: summaries, undecided: undecided, axisFilter: o.axis, territoryFilter: o.territory,
                              sources: sources, synthetic: synthetic)
        let named = Set(targets.compactMap { $0.rule?.indicator })
        for def in try store.indicatorDefinitions() where named.contains(def.name) {
            d.indicatorLabels[def.name] = o.language == .fr ? def.labelFR : def.labelEN
        }
        // Known indicators the store does not hold yet are named by their usual label all the same.
        for name in named where d.indicatorLabels[name] == nil {
            if let known = IndicatorDefinition.catalogue[name] { d.indicatorLabels[name] = o.language == .fr ? known.labelFR : known.labelEN }
        }
        return d
    }

    /// The target as a short text: « ≥ 75 % d'ici 2028 », « ≥ 2 rencontres chaque année ».
    public static func targetText(_ t: PlanTarget, _ l: Language) -> String {
        let fr = l == .fr
        let value = t.target.map { ProgressRule.fmt($0).replacingOccurrences(of: ".", with: fr ? "," : ".") }
            ?? (fr ? "la référence" : "the baseline") + (t.baselineDate.map { " (\($0))" } ?? "")
        let unit = t.target != nil ? (t.unit.map { $0 == "%" ? " %" : " " + $0 } ?? "") : ""
        let when: String
        switch t.recurrence {
        case .none: when = t.deadline.map { fr ? " d'ici \($0)" : " by \($0)" } ?? ""
        default:
            // A unit that states its period (« campagne par année ») says it already.
            let u = t.unit.map(Names.key) ?? ""
            when = u.hasSuffix("par_annee") || u.hasSuffix("par_an") || u.hasSuffix("aux_deux_ans") ? "" : " " + (fr ? t.recurrence.labelFR : t.recurrence.labelEN)
        }
        return "\(t.direction.symbol) \(value)\(unit)\(when)"
    }
}

/// The measurements of a target tied to an indicator, one per vintage, in one territory.
public enum IndicatorMeasure {
    public static func values(_ rule: IndicatorRule, definition: IndicatorDefinition?, store: any TerritoryStore, territory: Territory) throws
        -> (values: [(vintage: Int, value: Double, source: String?)], problems: [String]) {
        guard let d = definition else { return ([], ["indicateur « \(rule.indicator) » absent du magasin"]) }
        let units = try store.municipalities(in: territory, withGeometry: false).filter { !$0.isAquatic }
        guard !units.isEmpty else { return ([], ["\(territory.description) : aucune municipalité dans le magasin"]) }
        var out: [(Int, Double, String?)] = [], problems: [String] = []
        for vintage in try store.vintages(rule.indicator) {
            let values = try store.indicatorValues(rule.indicator, vintage: vintage, level: .municipality)
            let without = units.filter { values[$0.code]?.number == nil }
            if !without.isEmpty {
                problems.append("millésime \(vintage) : \(without.count) municipalité(s) sans valeur (\(without.prefix(5).map(\.code).joined(separator: ", "))\(without.count > 5 ? "…" : "")) : valeur non calculée")
                continue
            }
            let xs = units.map { values[$0.code]!.number! }
            let source = try store.indicatorSources(rule.indicator, vintage: vintage).first
            switch rule.measure {
            case .value:
                if d.kind == .count { out.append((vintage, xs.reduce(0, +), source)); continue }
                if units.count == 1 { out.append((vintage, xs[0], source)); continue }
                let weightName = d.weight ?? "population"
                let weightVintage = try store.vintages(weightName).filter { $0 <= vintage }.max() ?? store.vintages(weightName).min()
                guard let wv = weightVintage else { problems.append("millésime \(vintage) : pas de pondération (\(weightName))"); continue }
                let w = try store.indicatorValues(weightName, vintage: wv, level: .municipality)
                let ws = units.map { w[$0.code]?.number }
                guard !ws.contains(where: { $0 == nil }), ws.reduce(0, { $0 + $1! }) > 0 else {
                    problems.append("millésime \(vintage) : pondération \(weightName) \(wv) incomplète : valeur non calculée"); continue
                }
                out.append((vintage, zip(xs, ws).map { $0 * $1! }.reduce(0, +) / ws.reduce(0, { $0 + $1! }), source))
            case .countBelow, .countAbove, .shareBelow, .shareAbove:
                guard let th = rule.threshold else { problems.append("règle \(rule.measure.rawValue) sans seuil"); return (out, problems) }
                let below = rule.measure == .countBelow || rule.measure == .shareBelow
                let n = Double(xs.filter { below ? $0 < th : $0 > th }.count)
                let share = rule.measure == .shareBelow || rule.measure == .shareAbove
                out.append((vintage, share ? n / Double(xs.count) * 100 : n, source))
            }
        }
        return (out, problems)
    }
}

/// A plan as a territory's portrait shows it (« Suivi du plan »): its statuses for the plan and for the local
/// concertations whose territory meets the portrait's.
public struct PlanFollowUp: Codable, Sendable, Hashable {
    public struct Row: Codable, Sendable, Hashable {
        public var targetID: String
        public var indicator: String
        public var targetText: String
        public var plan: ProgressStatus
        /// The status of each local concertation kept, in `locals`' order.
        public var locals: [ProgressStatus?]
        enum CodingKeys: String, CodingKey { case targetID = "target_id", indicator, targetText = "target_text", plan, locals }
    }
    public var planID: String
    public var title: String
    public var asOf: String
    public var summaries: [TerritorySummary]
    public var locals: [TerritorySummary]
    public var rows: [Row]
    public var synthetic: Bool
    enum CodingKeys: String, CodingKey { case planID = "plan_id", title, asOf = "as_of", summaries, locals, rows, synthetic }

    /// The follow-up of a plan in the territory of `units` (its land municipalities), or nil when the plan's
    /// mobilisation and its local concertations cover none of them.
    public static func of(_ d: PlanDashboard, units: [TerritorialUnit]) -> PlanFollowUp? {
        func meets(_ level: Level?, _ code: String?) -> Bool {
            guard let level, let code else { return false }
            return units.contains { u in
                switch level { case .region: u.regionCode == code; case .mrc: u.mrcCode == code; case .municipality: u.code == code }
            }
        }
        let plan = d.summaries.first { $0.role == "plan" }
        let locals = d.summaries.filter { $0.role != "plan" && meets($0.level, $0.code) }
        guard meets(d.mobilisation?.territoryType, d.mobilisation?.territoryCode) || !locals.isEmpty else { return nil }
        let rows = d.targets.map { r in
            Row(targetID: r.target.id, indicator: r.target.indicator, targetText: r.targetText, plan: r.plan.status,
                locals: locals.map { l in r.territories.first { $0.territory == l.territory }?.status })
        }
        return PlanFollowUp(planID: d.plan.id, title: d.plan.title, asOf: d.asOf, summaries: (plan.map { [$0] } ?? []) + locals,
                            locals: locals, rows: rows, synthetic: d.synthetic)
    }
}
