import Foundation

/// An action plan of a mobilisation: its title and period. Its id is the mobilisation's unless the plan file
/// names it (`plan_id`).
public struct Plan: Codable, Sendable, Hashable {
    public var id: String
    public var mobilisationID: String
    public var title: String
    public var start: Int?
    public var end: Int?
    public var source: String?
    enum CodingKeys: String, CodingKey { case id, mobilisationID = "mobilisation_id", title, start, end, source }

    public init(id: String, mobilisationID: String, title: String, start: Int?, end: Int?, source: String?) {
        self.id = id; self.mobilisationID = mobilisationID; self.title = title; self.start = start; self.end = end; self.source = source
    }
}

/// How a target is met: the value reaches it (at least, at most) or passes it (more than, less than).
public enum TargetDirection: String, Codable, Sendable, CaseIterable {
    case atLeast = "au_moins", atMost = "au_plus", moreThan = "plus_que", lessThan = "moins_que"

    /// +1 when a larger value is progress, −1 when a smaller one is.
    public var sign: Double { self == .atLeast || self == .moreThan ? 1 : -1 }
    public var isStrict: Bool { self == .moreThan || self == .lessThan }
    /// True when `value` meets `target`.
    public func meets(_ value: Double, _ target: Double) -> Bool {
        switch self {
        case .atLeast: value >= target
        case .atMost: value <= target
        case .moreThan: value > target
        case .lessThan: value < target
        }
    }
    public var symbol: String {
        switch self { case .atLeast: "≥"; case .atMost: "≤"; case .moreThan: ">"; case .lessThan: "<" }
    }
    public var labelFR: String {
        switch self { case .atLeast: "au moins"; case .atMost: "au plus"; case .moreThan: "plus que"; case .lessThan: "moins que" }
    }
    public var labelEN: String {
        switch self { case .atLeast: "at least"; case .atMost: "at most"; case .moreThan: "more than"; case .lessThan: "less than" }
    }
}

/// A target judged once (by its deadline) or period by period (each year, every two years).
public enum Recurrence: String, Codable, Sendable, CaseIterable {
    case none = "aucune", annual = "annuelle", biennial = "aux_deux_ans"
    /// The length of a period in years; nil for a target judged once.
    public var years: Int? { switch self { case .none: nil; case .annual: 1; case .biennial: 2 } }
    public var labelFR: String { switch self { case .none: "à l'échéance"; case .annual: "chaque année"; case .biennial: "aux deux ans" } }
    public var labelEN: String { switch self { case .none: "by the deadline"; case .annual: "each year"; case .biennial: "every two years" } }
}

/// Whom a target is stated for: the plan's mobilisation, or each of its local concertations.
public enum TargetScope: String, Codable, Sendable, CaseIterable {
    case mobilisation, eachLocal = "chaque_concertation_locale"
}

/// How a target tied to an imported indicator takes its measurements from the indicator's vintages, in each
/// territory measured (the plan's territory, a local concertation's MRC).
public struct IndicatorRule: Codable, Sendable, Hashable {
    public enum Measure: String, Codable, Sendable, CaseIterable {
        /// The territory's figure as its portrait gives it (a count summed, a rate weighted by its weight).
        case value = "valeur"
        /// How many municipalities have a value below (above) the threshold.
        case countBelow = "nombre_sous", countAbove = "nombre_au_dessus"
        /// The share (%) of the municipalities with a value below (above) the threshold.
        case shareBelow = "part_sous", shareAbove = "part_au_dessus"
        public var needsThreshold: Bool { self != .value }

        /// The measure in words, with its threshold written by the caller (« nombre de municipalités sous −5 »).
        public func words(_ threshold: String?, _ lang: Language) -> String {
            let fr = lang == .fr, t = threshold ?? "?"
            switch self {
            case .value: return fr ? "valeur du territoire" : "the territory's value"
            case .countBelow: return fr ? "nombre de municipalités sous \(t)" : "number of municipalities below \(t)"
            case .countAbove: return fr ? "nombre de municipalités au-dessus de \(t)" : "number of municipalities above \(t)"
            case .shareBelow: return fr ? "part des municipalités sous \(t)" : "share of municipalities below \(t)"
            case .shareAbove: return fr ? "part des municipalités au-dessus de \(t)" : "share of municipalities above \(t)"
            }
        }
    }
    public var indicator: String
    public var measure: Measure
    public var threshold: Double?
    public init(indicator: String, measure: Measure, threshold: Double?) {
        self.indicator = indicator; self.measure = measure; self.threshold = threshold
    }
}

/// One target of a plan.
public struct PlanTarget: Codable, Sendable, Hashable {
    public var id: String
    public var planID: String
    /// Its place in the plan file (the dashboard keeps the plan's order).
    public var position: Int
    public var axis: String?
    /// The indicator as the plan words it.
    public var indicator: String
    /// The value to reach; nil for a target « fewer (more) than at the baseline », whose target is the baseline.
    public var target: Double?
    public var unit: String?
    public var direction: TargetDirection
    public var baseline: Double?
    /// The baseline's date (YYYY or YYYY-MM-DD).
    public var baselineDate: String?
    /// The year by the end of which the target is to be met; a recurring target's last period.
    public var deadline: Int?
    public var recurrence: Recurrence
    public var responsible: [String]
    public var scope: TargetScope
    public var rule: IndicatorRule?
    public var source: String?
    enum CodingKeys: String, CodingKey {
        case id, planID = "plan_id", position, axis, indicator, target, unit, direction, baseline, baselineDate = "baseline_date",
             deadline, recurrence, responsible, scope, rule, source
    }

    public init(id: String, planID: String, position: Int, axis: String?, indicator: String, target: Double?, unit: String?,
                direction: TargetDirection, baseline: Double? = nil, baselineDate: String? = nil, deadline: Int?,
                recurrence: Recurrence = .none, responsible: [String] = [], scope: TargetScope = .mobilisation,
                rule: IndicatorRule? = nil, source: String? = nil) {
        self.id = id; self.planID = planID; self.position = position; self.axis = axis; self.indicator = indicator
        self.target = target; self.unit = unit; self.direction = direction; self.baseline = baseline
        self.baselineDate = baselineDate; self.deadline = deadline; self.recurrence = recurrence
        self.responsible = responsible; self.scope = scope; self.rule = rule; self.source = source
    }
}

/// A value of a target measured in a territory at a date. `territory` is a mobilisation's id, or
/// `mrc:CODE` / `region:CODE`.
public struct TargetMeasurement: Codable, Sendable, Hashable {
    public var targetID: String
    public var territory: String
    /// YYYY (the whole year) or YYYY-MM-DD.
    public var date: String
    public var value: Double
    public var source: String?
    public var comment: String?
    /// True for a value taken from an indicator's vintage (a target tied to an indicator), not recorded.
    public var fromIndicator: Bool
    enum CodingKeys: String, CodingKey { case targetID = "target_id", territory, date, value, source, comment, fromIndicator = "from_indicator" }

    public init(targetID: String, territory: String, date: String, value: Double, source: String?, comment: String?, fromIndicator: Bool = false) {
        self.targetID = targetID; self.territory = territory; self.date = date; self.value = value
        self.source = source; self.comment = comment; self.fromIndicator = fromIndicator
    }
}

/// A day as the plans count time: YYYY (31 December of that year: a year's figure is known at its end) or
/// YYYY-MM-DD. Ordered; days between two by the proleptic Gregorian calendar.
public struct PlanDate: Comparable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int
    /// True when only the year was given.
    public var yearOnly: Bool

    public init(year: Int, month: Int, day: Int, yearOnly: Bool = false) {
        self.year = year; self.month = month; self.day = day; self.yearOnly = yearOnly
    }

    /// The years a plan, a measurement or a request may name: beyond them a year is refused, never computed with
    /// (a day number of a year near `Int.max` would overflow).
    public static let years = 1900...2100

    /// Parses YYYY or YYYY-MM-DD (a real day of the calendar); nil otherwise.
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 1, t.count == 4, let y = Int(t), Self.years.contains(y) {
            self.init(year: y, month: 12, day: 31, yearOnly: true)
            return
        }
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), Self.years.contains(y), (1...12).contains(m),
              (1...Self.days(inMonth: m, year: y)).contains(d) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The last day of `year`.
    public static func endOf(_ year: Int) -> PlanDate { PlanDate(year: year, month: 12, day: 31, yearOnly: true) }
    /// The first day of `year`.
    public static func startOf(_ year: Int) -> PlanDate { PlanDate(year: year, month: 1, day: 1) }

    static func days(inMonth m: Int, year y: Int) -> Int {
        switch m {
        case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1 March of year 0 (a day number: only differences matter).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let m = month <= 2 ? month + 9 : month - 3
        return 365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + day - 1
    }

    public static func < (a: PlanDate, b: PlanDate) -> Bool { a.dayNumber < b.dayNumber }
    public static func == (a: PlanDate, b: PlanDate) -> Bool { a.dayNumber == b.dayNumber }
    public func hash(into h: inout Hasher) { h.combine(dayNumber) }

    public var description: String { yearOnly ? String(year) : isoDay }

    /// YYYY-MM-DD, also for a year's figure (31 December): the date a dashboard is « as of ».
    public var isoDay: String { String(format: "%04d-%02d-%02d", year, month, day) }

    /// Today in Quebec's time (America/Toronto, which Quebec's clocks follow).
    public static func today(_ now: Date = Date()) -> PlanDate {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "America/Toronto") ?? .gmt
        let c = cal.dateComponents([.year, .month, .day], from: now)
        return PlanDate(year: c.year!, month: c.month!, day: c.day!)
    }
}
