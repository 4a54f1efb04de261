import Foundation
import PortraitModel

extension GeoPackageStore {
    public func indicatorDefinitions() throws -> [IndicatorDefinition] {
        guard try db.tableExists("indicators") else { return [] }
        return try db.query("SELECT definition FROM indicators ORDER BY name").compactMap {
            try $0[0].text.map { try JSONDecoder().decode(IndicatorDefinition.self, from: Data($0.utf8)) }
        }
    }

    public func vintages(_ indicator: String) throws -> [Int] {
        guard try db.tableExists("indicator_values") else { return [] }
        return try db.query("SELECT DISTINCT vintage FROM indicator_values WHERE indicator = ? ORDER BY vintage DESC", [.text(indicator)])
            .compactMap { $0[0].int }
    }

    public func indicatorValues(_ indicator: String, vintage: Int, level: Level = .municipality) throws -> [String: CellValue] {
        guard try db.tableExists("indicator_values") else { return [:] }
        return StoreRows.cellValues(try db.query("SELECT territory_code, value, status FROM indicator_values WHERE indicator = ? AND vintage = ? AND level = ?",
                                                 [.text(indicator), .int(Int64(vintage)), .text(level.rawValue)]))
    }

    public func indicatorSources(_ indicator: String, vintage: Int) throws -> [String] {
        guard try db.tableExists("indicator_values") else { return [] }
        return try db.query("SELECT DISTINCT source FROM indicator_values WHERE indicator = ? AND vintage = ? ORDER BY 1",
                            [.text(indicator), .int(Int64(vintage))]).compactMap { $0[0].text }
    }

    @discardableResult
    public func replaceIndicatorValues(_ d: IndicatorDefinition, vintage: Int, level: Level,
                                       values: [(code: String, value: CellValue)], source: String, importID: Int64) throws -> Int {
        try db.run("DELETE FROM indicator_values WHERE indicator = ? AND vintage = ? AND level = ?",
                   [.text(d.name), .int(Int64(vintage)), .text(level.rawValue)])
        let replaced = db.changes
        try db.run("""
            INSERT INTO indicators (name, kind, unit, label_fr, label_en, definition) VALUES (?,?,?,?,?,?)
            ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, unit = excluded.unit, label_fr = excluded.label_fr,
              label_en = excluded.label_en, definition = excluded.definition
            """, [.text(d.name), .text(d.kind.rawValue), .text(d.unit), .text(d.labelFR), .text(d.labelEN),
                  .text(String(decoding: try JSONEncoder.stable.encode(d), as: UTF8.self))])
        let st = try db.prepare("""
            INSERT INTO indicator_values (territory_code, level, indicator, vintage, value, status, unit, source, import_id)
            VALUES (?,?,?,?,?,?,?,?,?)
            """)
        for (code, v) in values {
            try st.run([.text(code), .text(level.rawValue), .text(d.name), .int(Int64(vintage)), .optional(v.number),
                        .text(StoreRows.status(v)), .text(d.unit), .text(source), .int(importID)])
        }
        return replaced
    }

    public func saveJoinReport(importID: Int64, json: String) throws {
        try db.run("INSERT INTO join_reports (import_id, report) VALUES (?, ?)", [.int(importID), .text(json)])
    }

    public func joinReport(importID: Int64) throws -> String? {
        guard try db.tableExists("join_reports") else { return nil }
        return try db.scalar("SELECT report FROM join_reports WHERE import_id = ?", [.int(importID)])?.text
    }
}
