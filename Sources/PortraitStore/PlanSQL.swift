import Foundation
import PortraitModel

/// The plans' tables and statements, one text for both backends: `plans`, `plan_targets`, `plan_measurements`
/// (a measurement is keyed by its target, territory and date: a second one of the same key replaces it).
enum PlanSQL {
    /// Tables in the order they are copied, and their columns (name, SQLite type, PostgreSQL type).
    static let tables: [(name: String, description: String, columns: [(String, String, String)])] = [
        ("plans", "Portrait : plans d'action des mobilisations", [
            ("plan_id", "TEXT NOT NULL UNIQUE", "text NOT NULL UNIQUE"), ("mobilisation_id", "TEXT NOT NULL", "text NOT NULL"),
            ("title", "TEXT NOT NULL", "text NOT NULL"), ("start_year", "INTEGER", "bigint"), ("end_year", "INTEGER", "bigint"),
            ("source", "TEXT", "text"), ("import_id", "INTEGER", "bigint"),
        ]),
        ("plan_targets", "Portrait : cibles des plans d'action", [
            ("target_id", "TEXT NOT NULL UNIQUE", "text NOT NULL UNIQUE"), ("plan_id", "TEXT NOT NULL", "text NOT NULL"),
            ("position", "INTEGER NOT NULL", "bigint NOT NULL"), ("axis", "TEXT", "text"), ("indicator", "TEXT NOT NULL", "text NOT NULL"),
            ("target", "REAL", "double precision"), ("unit", "TEXT", "text"), ("direction", "TEXT NOT NULL", "text NOT NULL"),
            ("baseline", "REAL", "double precision"), ("baseline_date", "TEXT", "text"), ("deadline", "INTEGER", "bigint"),
            ("recurrence", "TEXT NOT NULL", "text NOT NULL"), ("responsible", "TEXT", "text"), ("scope", "TEXT NOT NULL", "text NOT NULL"),
            ("rule_indicator", "TEXT", "text"), ("rule_measure", "TEXT", "text"), ("rule_threshold", "REAL", "double precision"),
            ("source", "TEXT", "text"), ("import_id", "INTEGER", "bigint"),
        ]),
        ("plan_measurements", "Portrait : mesures des cibles des plans", [
            ("target_id", "TEXT NOT NULL", "text NOT NULL"), ("territory", "TEXT NOT NULL", "text NOT NULL"),
            ("date", "TEXT NOT NULL", "text NOT NULL"), ("value", "REAL NOT NULL", "double precision NOT NULL"),
            ("source", "TEXT", "text"), ("comment", "TEXT", "text"), ("import_id", "INTEGER", "bigint"),
        ]),
    ]
    static var names: [String] { tables.map(\.name) }

    static func insert(_ table: String, _ d: SQLDialect) -> String {
        d.insert(into: table, columns: tables.first { $0.name == table }!.columns.map(\.0))
    }

    static func selectPlans(_ d: SQLDialect) -> String {
        "SELECT plan_id, mobilisation_id, title, start_year, end_year, source FROM plans ORDER BY plan_id\(d.byteOrder)"
    }
    static func plan(_ r: [SQLValue]) -> Plan {
        Plan(id: r[0].text ?? "", mobilisationID: r[1].text ?? "", title: r[2].text ?? "", start: r[3].int, end: r[4].int, source: r[5].text)
    }
    static func values(_ p: Plan, importID: Int64) -> [SQLValue] {
        [.text(p.id), .text(p.mobilisationID), .text(p.title), p.start.map { .int(Int64($0)) } ?? .null,
         p.end.map { .int(Int64($0)) } ?? .null, .optional(p.source), .int(importID)]
    }

    static let targetColumns = """
        target_id, plan_id, position, axis, indicator, target, unit, direction, baseline, baseline_date, deadline, recurrence,
        responsible, scope, rule_indicator, rule_measure, rule_threshold, source
        """
    /// A plan's targets (every plan's when nil), in plan order.
    static func selectTargets(plan: Bool, _ d: SQLDialect) -> String {
        "SELECT \(targetColumns) FROM plan_targets" + (plan ? " WHERE plan_id = \(d.placeholder(0))" : "")
            + " ORDER BY plan_id\(d.byteOrder), position"
    }
    static func target(_ r: [SQLValue]) -> PlanTarget {
        let rule = r[14].text.flatMap { ind in
            r[15].text.flatMap(IndicatorRule.Measure.init(rawValue:)).map { IndicatorRule(indicator: ind, measure: $0, threshold: r[16].double) }
        }
        return PlanTarget(id: r[0].text ?? "", planID: r[1].text ?? "", position: r[2].int ?? 0, axis: r[3].text, indicator: r[4].text ?? "",
                          target: r[5].double, unit: r[6].text, direction: r[7].text.flatMap(TargetDirection.init(rawValue:)) ?? .atLeast,
                          baseline: r[8].double, baselineDate: r[9].text, deadline: r[10].int,
                          recurrence: r[11].text.flatMap(Recurrence.init(rawValue:)) ?? .none,
                          responsible: (r[12].text ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                          scope: r[13].text.flatMap(TargetScope.init(rawValue:)) ?? .mobilisation, rule: rule, source: r[17].text)
    }
    static func values(_ t: PlanTarget, importID: Int64) -> [SQLValue] {
        [.text(t.id), .text(t.planID), .int(Int64(t.position)), .optional(t.axis), .text(t.indicator), .optional(t.target), .optional(t.unit),
         .text(t.direction.rawValue), .optional(t.baseline), .optional(t.baselineDate), t.deadline.map { .int(Int64($0)) } ?? .null,
         .text(t.recurrence.rawValue), t.responsible.isEmpty ? .null : .text(t.responsible.joined(separator: "; ")), .text(t.scope.rawValue),
         .optional(t.rule?.indicator), .optional(t.rule?.measure.rawValue), .optional(t.rule?.threshold), .optional(t.source), .int(importID)]
    }

    /// The measurements of a plan's targets (every one when nil), by target, territory and date.
    static func selectMeasurements(plan: Bool, _ d: SQLDialect) -> String {
        "SELECT m.target_id, m.territory, m.date, m.value, m.source, m.comment FROM plan_measurements m"
            + (plan ? " JOIN plan_targets t ON t.target_id = m.target_id WHERE t.plan_id = \(d.placeholder(0))" : "")
            + " ORDER BY m.target_id\(d.byteOrder), m.territory\(d.byteOrder), m.date\(d.byteOrder)"
    }
    static func measurement(_ r: [SQLValue]) -> TargetMeasurement {
        TargetMeasurement(targetID: r[0].text ?? "", territory: r[1].text ?? "", date: r[2].text ?? "", value: r[3].double ?? .nan,
                    source: r[4].text, comment: r[5].text)
    }
    static func values(_ m: TargetMeasurement, importID: Int64) -> [SQLValue] {
        [.text(m.targetID), .text(m.territory), .text(m.date), .double(m.value), .optional(m.source), .optional(m.comment), .int(importID)]
    }
    static func deleteMeasurement(_ d: SQLDialect) -> String {
        "DELETE FROM plan_measurements WHERE target_id = \(d.placeholder(0)) AND territory = \(d.placeholder(1)) AND date = \(d.placeholder(2))"
    }
    static func deletePlan(_ d: SQLDialect) -> String { "DELETE FROM plans WHERE plan_id = \(d.placeholder(0))" }
    static func deleteTargets(_ d: SQLDialect) -> String { "DELETE FROM plan_targets WHERE plan_id = \(d.placeholder(0))" }
}
