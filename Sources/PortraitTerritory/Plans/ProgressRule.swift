import Foundation
import PortraitModel

/// The five classes of a target's progress.
public enum ProgressStatus: String, Codable, Sendable, CaseIterable {
    case achieved = "atteinte", onTrack = "en_bonne_voie", watch = "a_surveiller", late = "en_retard", noData = "sans_donnee"
    public var labelFR: String {
        switch self {
        case .achieved: "atteinte"; case .onTrack: "en bonne voie"; case .watch: "à surveiller"; case .late: "en retard"; case .noData: "sans donnée"
        }
    }
    public var labelEN: String {
        switch self { case .achieved: "achieved"; case .onTrack: "on track"; case .watch: "needs attention"; case .late: "off track"; case .noData: "no data" }
    }
    public func label(_ l: Language) -> String { l == .fr ? labelFR : labelEN }
    /// Counted as « on track » by the plan's map and summaries (met, or progressing fast enough).
    public var isOnTrack: Bool { self == .achieved || self == .onTrack }
}

/// One period of a recurring target (a year, two years) and how it went.
public struct PeriodProgress: Codable, Sendable, Hashable {
    public var start: Int
    public var end: Int
    public var value: Double?
    public var date: String?
    public var status: ProgressStatus
    public var reasonFR: String
    public var reasonEN: String
    /// True when the period is over (as of the evaluation's date).
    public var over: Bool
    enum CodingKeys: String, CodingKey { case start, end, value, date, status, reasonFR = "reason_fr", reasonEN = "reason_en", over }
}

/// A target's progress in one territory: its status, why, and the figures it was decided from.
public struct TargetProgress: Codable, Sendable, Hashable {
    public var status: ProgressStatus
    public var reasonFR: String
    public var reasonEN: String
    /// The baseline used (given by the plan, or the first measurement).
    public var baseline: Double?
    public var baselineDate: String?
    public var baselineFromMeasurement: Bool
    public var latest: Double?
    public var latestDate: String?
    /// Where the value should be at the latest measurement's date on the straight line from the baseline to the
    /// target at the deadline; and the share of that progress made (1 = exactly on the line).
    public var expected: Double?
    public var ratio: Double?
    /// The periods of a recurring target, oldest first.
    public var periods: [PeriodProgress]
    enum CodingKeys: String, CodingKey {
        case status, reasonFR = "reason_fr", reasonEN = "reason_en", baseline, baselineDate = "baseline_date",
             baselineFromMeasurement = "baseline_from_measurement", latest, latestDate = "latest_date", expected, ratio, periods
    }
    public func reason(_ l: Language) -> String { l == .fr ? reasonFR : reasonEN }
}

/// The progress rule, one for every target, modelled on Open SDG's progress status and Statistics Canada's
/// (progress made against progress needed):
///
/// 1. no measurement: « sans donnée »;
/// 2. the latest value meets the target (in its direction): « atteinte »;
/// 3. the deadline (31 December of its year) has passed: « en retard »;
/// 4. the baseline is the plan's, else the first measurement; with only that one measurement, « sans donnée »
///    (progress needs two points in time);
/// 5. the baseline already met the target, or (a target « fewer than at the baseline ») equals it: the latest
///    value equal to the baseline is « à surveiller », any worse « en retard »;
/// 6. otherwise the progress needed is the straight line from the baseline to the target at the deadline; at the
///    latest measurement's date the ratio r = (latest − baseline) / (expected − baseline) says how much of the
///    progress due has been made: r ≥ 0.95 « en bonne voie », 0.5 ≤ r < 0.95 « à surveiller », r < 0.5 « en retard »
///    (a step backwards is r < 0).
///
/// A recurring target (each year, every two years) is judged period by period, periods counted from the plan's
/// first year: the latest measurement of a period is its value to date (counted from zero at the period's start);
/// a period over is « atteinte » or « en retard »; the period under way is « atteinte » when met, else judged by
/// rule 6 from zero at its start (a target « at most » exceeded is « en retard » at once). The target's status
/// is that of its latest period with a measurement; a period over without one is « sans donnée ».
public enum ProgressRule {
    public static let onTrackRatio = 0.95
    public static let watchRatio = 0.5

    /// The target's progress from the measurements of one territory, as of `asOf`.
    public static func evaluate(_ t: PlanTarget, measurements: [TargetMeasurement], planStart: Int?, asOf: PlanDate) -> TargetProgress {
        let dated = measurements.compactMap { m in PlanDate(m.date).map { (date: $0, m: m) } }
            .filter { $0.date <= asOf || $0.m.date.count == 4 && $0.date.year <= asOf.year }
            .sorted { $0.date < $1.date }
        if let years = t.recurrence.years { return recurring(t, dated, years: years, planStart: planStart, asOf: asOf) }
        var p = TargetProgress(status: .noData, reasonFR: "", reasonEN: "", baseline: t.baseline, baselineDate: t.baselineDate,
                         baselineFromMeasurement: false, latest: nil, latestDate: nil, expected: nil, ratio: nil, periods: [])
        // Measurements at or before the plan's baseline date are not progress.
        let baseDate = t.baselineDate.flatMap(PlanDate.init)
        let after = t.baseline != nil ? dated.filter { baseDate == nil || $0.date > baseDate! } : dated
        guard let last = after.last else {
            p.reasonFR = t.baseline == nil || dated.isEmpty ? "aucune mesure" : "aucune mesure après la référence"
            p.reasonEN = t.baseline == nil || dated.isEmpty ? "no measurement" : "no measurement after the baseline"
            return p
        }
        p.latest = last.m.value; p.latestDate = last.m.date
        var baseline = t.baseline, baselineDate = baseDate
        if baseline == nil, let first = dated.first {
            baseline = first.m.value; baselineDate = first.date
            p.baseline = baseline; p.baselineDate = first.m.date; p.baselineFromMeasurement = true
        }
        let target = t.target ?? baseline
        guard let target else {
            p.reasonFR = "cible sans valeur ni référence"; p.reasonEN = "target without a value or a baseline"
            return p
        }
        let x = last.m.value
        if t.direction.meets(x, target) {
            p.status = .achieved
            p.reasonFR = "\(fr(x)) \(t.direction.symbol) \(fr(target)) \(atFR(last.m.date))"
            p.reasonEN = "\(fmt(x)) \(t.direction.symbol) \(fmt(target)) \(atEN(last.m.date))"
            return p
        }
        guard let deadline = t.deadline else {
            p.reasonFR = "cible sans échéance"; p.reasonEN = "target without a deadline"
            return p
        }
        let end = PlanDate.endOf(deadline)
        if asOf > end {
            p.status = .late
            p.reasonFR = "échéance \(deadline) passée, cible non atteinte (\(fr(x)))"
            p.reasonEN = "deadline \(deadline) passed, target not met (\(fmt(x)))"
            return p
        }
        guard let b = baseline, let b0 = baselineDate else { return p }
        if p.baselineFromMeasurement && after.count < 2 {
            p.reasonFR = "une seule mesure (\(last.m.date)) : elle sert de référence, le progrès se mesure à la suivante"
            p.reasonEN = "one measurement (\(last.m.date)): it is the baseline, progress is measured from the next one"
            return p
        }
        let s = t.direction.sign
        if s * (target - b) <= 0 {
            // Nothing to gain from the baseline: holding it is the best the rule can say, losing ground is late.
            p.status = x == b ? .watch : .late
            p.reasonFR = x == b ? "valeur inchangée depuis la référence (\(fr(b)))" : "recul depuis la référence (\(fr(b)) → \(fr(x)))"
            p.reasonEN = x == b ? "unchanged since the baseline (\(fmt(b)))" : "worse than the baseline (\(fmt(b)) → \(fmt(x)))"
            return p
        }
        let span = Double(end.dayNumber - b0.dayNumber)
        let elapsed = Double(last.date.dayNumber - b0.dayNumber)
        guard span > 0, elapsed > 0 else {
            p.reasonFR = "mesure à la date de la référence : aucun temps écoulé"; p.reasonEN = "measured at the baseline's date: no time elapsed"
            return p
        }
        let f = min(1, elapsed / span)
        let expected = b + f * (target - b)
        let r = (x - b) / (expected - b)
        p.expected = expected; p.ratio = r
        p.status = r >= onTrackRatio ? .onTrack : r >= watchRatio ? .watch : .late
        p.reasonFR = "\(fr(x)) \(atFR(last.m.date)) ; attendu \(fr(expected)) sur la trajectoire de \(fr(b)) à \(fr(target)) en \(deadline) (\(pct(r)) du progrès dû)"
        p.reasonEN = "\(fmt(x)) \(atEN(last.m.date)); expected \(fmt(expected)) on the path from \(fmt(b)) to \(fmt(target)) by \(deadline) (\(pct(r)) of the progress due)"
        return p
    }

    static func recurring(_ t: PlanTarget, _ dated: [(date: PlanDate, m: TargetMeasurement)], years: Int, planStart: Int?, asOf: PlanDate) -> TargetProgress {
        var p = TargetProgress(status: .noData, reasonFR: "aucune mesure", reasonEN: "no measurement", baseline: nil, baselineDate: nil,
                         baselineFromMeasurement: false, latest: dated.last?.m.value, latestDate: dated.last?.m.date, expected: nil, ratio: nil, periods: [])
        guard let target = t.target else {
            p.reasonFR = "cible récurrente sans valeur"; p.reasonEN = "recurring target without a value"
            return p
        }
        guard let first = planStart ?? dated.first?.date.year else { return p }
        let last = min(asOf.year, t.deadline ?? asOf.year)
        var start = first
        while start <= last {
            let end = start + years - 1
            let inPeriod = dated.filter { (start...end).contains($0.date.year) }
            let periodEnd = PlanDate.endOf(min(end, t.deadline ?? end))
            var pp = PeriodProgress(start: start, end: end, value: inPeriod.last?.m.value, date: inPeriod.last?.m.date, status: .noData,
                                    reasonFR: "aucune mesure", reasonEN: "no measurement", over: asOf > periodEnd)
            let label = years == 1 ? "\(start)" : "\(start)–\(end)"
            if let m = inPeriod.last {
                let x = m.m.value
                if t.direction.meets(x, target) {
                    pp.status = .achieved
                    pp.reasonFR = "\(label) : \(fr(x)) \(t.direction.symbol) \(fr(target))"; pp.reasonEN = "\(label): \(fmt(x)) \(t.direction.symbol) \(fmt(target))"
                } else if asOf > periodEnd || m.m.date.count == 4 && m.date.year == periodEnd.year || t.direction.sign < 0 {
                    pp.status = .late
                    let exceeded = t.direction.sign < 0 && !(asOf > periodEnd || m.m.date.count == 4 && m.date.year == periodEnd.year)
                    pp.reasonFR = "\(label) : \(fr(x)) pour une cible \(t.direction.symbol) \(fr(target)) (\(exceeded ? "plafond dépassé" : "période close"))"
                    pp.reasonEN = "\(label): \(fmt(x)) for a target \(t.direction.symbol) \(fmt(target)) (\(exceeded ? "ceiling exceeded" : "period over"))"
                } else {
                    let s0 = PlanDate.startOf(start)
                    let f = Double(m.date.dayNumber - s0.dayNumber + 1) / Double(periodEnd.dayNumber - s0.dayNumber + 1)
                    let expected = f * target
                    let r = expected > 0 ? x / expected : 0
                    pp.status = r >= onTrackRatio ? .onTrack : r >= watchRatio ? .watch : .late
                    pp.reasonFR = "\(label), en cours : \(fr(x)) \(atFR(m.m.date)), attendu \(fr(expected)) à cette date (\(pct(r)))"
                    pp.reasonEN = "\(label), under way: \(fmt(x)) \(atEN(m.m.date)), expected \(fmt(expected)) by then (\(pct(r)))"
                }
            } else if asOf > periodEnd {
                pp.reasonFR = "\(label) : période close sans mesure"; pp.reasonEN = "\(label): period over without a measurement"
            } else {
                pp.reasonFR = "\(label), en cours : aucune mesure"; pp.reasonEN = "\(label), under way: no measurement"
            }
            p.periods.append(pp)
            start += years
        }
        if let latest = p.periods.last(where: { $0.value != nil }) {
            p.status = latest.status
            let met = p.periods.filter { $0.status == .achieved }.count
            let judged = p.periods.filter { $0.value != nil || $0.over }.count
            p.reasonFR = latest.reasonFR + " ; périodes atteintes : \(met) sur \(judged)"
            p.reasonEN = latest.reasonEN + "; periods met: \(met) of \(judged)"
        }
        return p
    }

    /// A figure as the dashboards print it: up to two decimals, no trailing zeros (a dot; sentences localise).
    /// French: a decimal comma.
    static func fr(_ x: Double) -> String { fmt(x).replacingOccurrences(of: ".", with: ",") }
    /// « en 2026 » for a year, « au 2026-06-30 » for a day (and in English « in 2026 », « at 2026-06-30 »).
    static func atFR(_ d: String) -> String { d.count == 4 ? "en \(d)" : "au \(d)" }
    static func atEN(_ d: String) -> String { d.count == 4 ? "in \(d)" : "at \(d)" }

    public static func fmt(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        var s = String(format: "%.2f", x)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
    static func pct(_ r: Double) -> String { String(Int((r * 100).rounded())) + " %" }
}
