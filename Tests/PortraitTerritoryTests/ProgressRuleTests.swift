import Foundation
import PortraitModel
import PortraitTerritory
import Testing

/// Every branch of the progress rule (`ProgressRule`), each figure worked out by hand in the comments.
struct ProgressRuleTests {
    static func target(_ value: Double?, _ direction: TargetDirection = .atLeast, baseline: Double? = nil, baselineDate: String? = nil,
                       deadline: Int? = 2028, recurrence: Recurrence = .none) -> PlanTarget {
        PlanTarget(id: "t", planID: "p", position: 1, axis: nil, indicator: "x", target: value, unit: "%", direction: direction,
                   baseline: baseline, baselineDate: baselineDate, deadline: deadline, recurrence: recurrence)
    }
    static func m(_ date: String, _ v: Double) -> TargetMeasurement {
        TargetMeasurement(targetID: "t", territory: "a", date: date, value: v, source: nil, comment: nil)
    }
    static func run(_ t: PlanTarget, _ ms: [TargetMeasurement], start: Int? = 2024, asOf: String = "2026-12-31") -> TargetProgress {
        ProgressRule.evaluate(t, measurements: ms, planStart: start, asOf: PlanDate(asOf)!)
    }

    @Test func noMeasurementIsNoData() {
        #expect(Self.run(Self.target(75), []).status == .noData)
        // A baseline alone is not progress either.
        #expect(Self.run(Self.target(75, baseline: 40, baselineDate: "2023"), []).status == .noData)
    }

    @Test func metInEitherDirection() {
        #expect(Self.run(Self.target(75), [Self.m("2024", 50), Self.m("2026", 75)]).status == .achieved)      // 75 ≥ 75
        #expect(Self.run(Self.target(25, .atMost), [Self.m("2024", 30), Self.m("2026", 25)]).status == .achieved)  // 25 ≤ 25
        #expect(Self.run(Self.target(25, .lessThan), [Self.m("2024", 30), Self.m("2026", 25)]).status != .achieved)  // not < 25
        #expect(Self.run(Self.target(25, .moreThan), [Self.m("2024", 20), Self.m("2026", 25.5)]).status == .achieved)
        // A target met by its first (single) measurement is met.
        #expect(Self.run(Self.target(75), [Self.m("2025", 80)]).status == .achieved)
    }

    @Test func singleMeasurementWithoutBaselineIsNoData() {
        let p = Self.run(Self.target(75), [Self.m("2025", 45)])
        #expect(p.status == .noData)
        #expect(p.baselineFromMeasurement && p.baseline == 45)
        #expect(p.reasonFR.contains("une seule mesure"))
    }

    @Test func firstMeasurementIsTheBaseline() {
        // 40 (2024-12-31) → 64 (2026-12-31), target 75 by 2028-12-31: 730 of 1,461 days gone, expected
        // 40 + 730/1461 × 35 = 57.49; r = 24 / 17.49 = 1.37 ≥ 0.95: on track.
        let p = Self.run(Self.target(75), [Self.m("2024", 40), Self.m("2025", 52), Self.m("2026", 64)])
        #expect(p.status == .onTrack)
        #expect(p.baseline == 40 && p.baselineDate == "2024" && p.baselineFromMeasurement)
        #expect(abs(p.expected! - (40 + 730.0 / 1461 * 35)) < 1e-9)
        #expect(abs(p.ratio! - 24 / (730.0 / 1461 * 35)) < 1e-9)
    }

    @Test func ratioThresholds() {
        // Same dates: expected gain 730/1461 × 45 = 22.48 from 30.
        let gain = 730.0 / 1461 * 45
        func status(_ x: Double) -> ProgressStatus { Self.run(Self.target(75), [Self.m("2024", 30), Self.m("2026", x)]).status }
        #expect(status(30 + 0.95 * gain + 1e-6) == .onTrack)
        #expect(status(30 + 0.95 * gain - 1e-3) == .watch)
        #expect(status(30 + 0.5 * gain + 1e-6) == .watch)
        #expect(status(30 + 0.5 * gain - 1e-3) == .late)
        #expect(status(25) == .late)   // a step back: r < 0
    }

    @Test func atMostDirection() {
        // Baseline 29 (2022), target ≤ 25 by 2027: 1,096 of 1,826 days at 2025-12-31, expected 29 − 0.6002 × 4 = 26.60;
        // 27 is r = −2 / −2.40 = 0.83: needs attention; 29 is r = 0: late.
        let t = Self.target(25, .atMost, baseline: 29, baselineDate: "2022", deadline: 2027)
        let a = Self.run(t, [Self.m("2023", 30), Self.m("2025", 27)])
        #expect(a.status == .watch)
        #expect(abs(a.ratio! - 2 / (1096.0 / 1826 * 4)) < 1e-9)
        #expect(Self.run(t, [Self.m("2025", 29)]).status == .late)
        // Given baseline: one measurement after it is enough to judge.
        #expect(Self.run(t, [Self.m("2025", 26)]).status == .onTrack)   // r = 3 / 2.40 = 1.25
    }

    @Test func measurementsAtOrBeforeTheBaselineAreNotProgress() {
        let t = Self.target(80, baseline: 60, baselineDate: "2024")
        let p = Self.run(t, [Self.m("2023", 10), Self.m("2024", 60)])
        #expect(p.status == .noData)
        #expect(p.reasonFR == "aucune mesure après la référence")
    }

    @Test func pastDeadline() {
        // The deadline 2025 has passed on 2026-12-31 without the target met.
        let t = Self.target(75, deadline: 2025)
        #expect(Self.run(t, [Self.m("2024", 50), Self.m("2025", 70)]).status == .late)
        // Even with a single measurement: late is decidable.
        #expect(Self.run(t, [Self.m("2025", 70)]).status == .late)
        // Met after the deadline is met.
        #expect(Self.run(t, [Self.m("2024", 50), Self.m("2026", 76)]).status == .achieved)
        // On the deadline's last day, not yet past.
        #expect(Self.run(t, [Self.m("2024", 50), Self.m("2025-06-30", 70)], asOf: "2025-12-31").status != .late)
    }

    @Test func baselineAlreadyBeyondTheTarget() {
        // « Fewer than at the baseline »: the target is the baseline itself (cible empty, moins que).
        let t = Self.target(nil, .lessThan, baseline: 12, baselineDate: "2018", deadline: 2027)
        #expect(Self.run(t, [Self.m("2022", 12)]).status == .watch)     // unchanged
        #expect(Self.run(t, [Self.m("2022", 13)]).status == .late)      // more
        #expect(Self.run(t, [Self.m("2022", 11)]).status == .achieved)  // fewer
        // Baseline already met, latest fell below: late.
        #expect(Self.run(Self.target(50, baseline: 60, baselineDate: "2023"), [Self.m("2025", 45)]).status == .late)
    }

    @Test func futureMeasurementsAreIgnored() {
        let p = Self.run(Self.target(75), [Self.m("2024", 40), Self.m("2026-06-30", 80)], asOf: "2026-03-01")
        #expect(p.status == .noData)   // only 2024's is known on 2026-03-01
        #expect(p.latestDate == "2024")
    }

    /// A year's figure (`2026`) is dated 31 December: known from its year's first day, and after any dated measurement
    /// of that year (a mid-year figure never overrides the year's).
    @Test func aYearsFigureIsItsYearsLatest() {
        let ms = [Self.m("2024", 30), Self.m("2026", 35), Self.m("2026-11-30", 52)]
        for asOf in ["2026-01-01", "2026-12-01", "2026-12-31"] {
            let p = Self.run(Self.target(75), ms, asOf: asOf)
            #expect(p.latest == 35 && p.latestDate == "2026", "\(asOf)")
        }
        #expect(Self.run(Self.target(75), ms, asOf: "2025-12-31").latestDate == "2024")
    }

    @Test func annualTargetPeriodByPeriod() {
        // ≥ 2 a year from 2024: 2024 met (2), 2025 closed at 1 (late), 2026 under way: 1 by 2026-10-15 against
        // 288/365 × 2 = 1.58 expected: r = 0.63, needs attention. The target's status is its latest period's.
        let t = Self.target(2, recurrence: .annual)
        let p = Self.run(t, [Self.m("2024", 2), Self.m("2025", 1), Self.m("2026-10-15", 1)])
        #expect(p.periods.map(\.status) == [.achieved, .late, .watch])
        #expect(p.status == .watch)
        #expect(p.reasonFR.hasSuffix("périodes atteintes : 1 sur 3"))
        // A year's figure (a year-only date) closes its period.
        #expect(Self.run(t, [Self.m("2026", 1)]).periods.last?.status == .late)
        // The period under way without a measurement does not hide the last measured one.
        let q = Self.run(t, [Self.m("2024", 2)], asOf: "2025-06-30")
        #expect(q.periods.map(\.status) == [.achieved, .noData])
        #expect(q.status == .achieved)
        // A closed period without a measurement: no data for that period.
        #expect(Self.run(t, [Self.m("2025", 2)]).periods.first?.status == .noData)
    }

    @Test func biennialTarget() {
        // Every two years from 2024: 2024–2025, 2026–2027, 2028.
        let t = Self.target(1, recurrence: .biennial)
        let p = Self.run(t, [Self.m("2025-05-14", 1)])
        #expect(p.periods.map { "\($0.start)-\($0.end)" } == ["2024-2025", "2026-2027"])
        #expect(p.periods.map(\.status) == [.achieved, .noData])
        #expect(p.status == .achieved)
    }

    @Test func atMostRecurringExceededIsLateAtOnce() {
        let t = Self.target(3, .atMost, recurrence: .annual)
        let p = Self.run(t, [Self.m("2026-04-01", 4)])
        #expect(p.status == .late)
        #expect(p.periods.last?.reasonFR.contains("plafond dépassé") == true)
    }

    @Test func recurringWithoutPlanStartCountsFromTheFirstMeasurement() {
        let p = Self.run(Self.target(1, recurrence: .annual), [Self.m("2025", 1), Self.m("2026", 1)], start: nil)
        #expect(p.periods.map(\.start) == [2025, 2026])
        #expect(p.status == .achieved)
    }

    @Test func planDates() {
        #expect(PlanDate("2024")! == PlanDate("2024-12-31")!)
        #expect(PlanDate("2024-02-30") == nil && PlanDate("2023-02-29") == nil && PlanDate("2024-02-29") != nil)
        #expect(PlanDate("24") == nil && PlanDate("2024-1-01") == nil && PlanDate("ab") == nil)
        #expect(PlanDate("2028")!.dayNumber - PlanDate("2024")!.dayNumber == 1461)
    }
}
