import Foundation
import PortraitModel

extension PostGISStore {
    public func indicatorDefinitions() throws -> [IndicatorDefinition] {
        try session.query("SELECT definition FROM indicators ORDER BY name COLLATE \"C\"").compactMap {
            try $0[0].text.map { try JSONDecoder().decode(IndicatorDefinition.self, from: Data($0.utf8)) }
        }
    }

    public func vintages(_ indicator: String) throws -> [Int] {
        try session.query("SELECT DISTINCT vintage FROM indicator_values WHERE indicator = $1 ORDER BY vintage DESC", [.text(indicator)])
            .compactMap { $0[0].int }
    }

    public func indicatorValues(_ indicator: String, vintage: Int, level: Level = .municipality) throws -> [String: CellValue] {
        StoreRows.cellValues(try session.query("SELECT territory_code, value, status FROM indicator_values WHERE indicator = $1 AND vintage = $2 AND level = $3",
                                               [.text(indicator), .int(Int64(vintage)), .text(level.rawValue)]))
    }

    public func indicatorSources(_ indicator: String, vintage: Int) throws -> [String] {
        try session.query("SELECT DISTINCT source COLLATE \"C\" FROM indicator_values WHERE indicator = $1 AND vintage = $2 ORDER BY 1",
                          [.text(indicator), .int(Int64(vintage))]).compactMap { $0[0].text }
    }

    @discardableResult
    public func replaceIndicatorValues(_ d: IndicatorDefinition, vintage: Int, level: Level,
                                       values: [(code: String, value: CellValue)], source: String, importID: Int64) throws -> Int {
        try write("indicator:" + d.name) {
            let replaced = try session.run("DELETE FROM indicator_values WHERE indicator = $1 AND vintage = $2 AND level = $3",
                                           [.text(d.name), .int(Int64(vintage)), .text(level.rawValue)])
            try session.run("""
                INSERT INTO indicators (name, kind, unit, label_fr, label_en, definition) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, unit = excluded.unit, label_fr = excluded.label_fr,
                  label_en = excluded.label_en, definition = excluded.definition
                """, [.text(d.name), .text(d.kind.rawValue), .text(d.unit), .text(d.labelFR), .text(d.labelEN),
                      .text(String(decoding: try JSONEncoder.stable.encode(d), as: UTF8.self))])
            try session.copy(into: "indicator_values",
                             columns: ["territory_code", "level", "indicator", "vintage", "value", "status", "unit", "source", "import_id"],
                             rows: values.map { code, v in
                                 [.text(code), .text(level.rawValue), .text(d.name), .int(Int64(vintage)), .optional(v.number),
                                  .text(StoreRows.status(v)), .text(d.unit), .text(source), .int(importID)]
                             })
            return replaced
        }
    }

    public func saveJoinReport(importID: Int64, json: String) throws {
        try write {
            try session.run("INSERT INTO join_reports (import_id, report) VALUES ($1, $2)", [.int(importID), .text(json)])
        }
    }

    public func joinReport(importID: Int64) throws -> String? {
        try session.scalar("SELECT report FROM join_reports WHERE import_id = $1 ORDER BY id LIMIT 1", [.int(importID)])?.text
    }
}
