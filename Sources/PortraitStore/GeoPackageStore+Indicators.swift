import Foundation
import PortraitModel

extension GeoPackageStore {
    public func indicatorDefinitions() throws -> [IndicatorDefinition] {
        guard try db.tableExists("indicators") else { return [] }
        return try db.query(IndicatorSQL.definitions(.sqlite)).compactMap {
            try $0[0].text.map { try JSONDecoder().decode(IndicatorDefinition.self, from: Data($0.utf8)) }
        }
    }

    public func vintages(_ indicator: String) throws -> [Int] {
        guard try db.tableExists("indicator_values") else { return [] }
        return try db.query(IndicatorSQL.vintages(.sqlite), [.text(indicator)])
            .compactMap { $0[0].int }
    }

    public func indicatorValues(_ indicator: String, vintage: Int, level: Level = .municipality) throws -> [String: CellValue] {
        guard try db.tableExists("indicator_values") else { return [:] }
        return StoreRows.cellValues(try db.query(IndicatorSQL.values(.sqlite), [.text(indicator), .int(Int64(vintage)), .text(level.rawValue)]))
    }

    public func indicatorSources(_ indicator: String, vintage: Int) throws -> [String] {
        guard try db.tableExists("indicator_values") else { return [] }
        return try db.query(IndicatorSQL.sources(.sqlite), [.text(indicator), .int(Int64(vintage))]).compactMap { $0[0].text }
    }

    @discardableResult
    public func replaceIndicatorValues(_ d: IndicatorDefinition, vintage: Int, level: Level,
                                       values: [(code: String, value: CellValue)], source: String, importID: Int64) throws -> Int {
        try db.run(IndicatorSQL.deleteValues(.sqlite), [.text(d.name), .int(Int64(vintage)), .text(level.rawValue)])
        let replaced = db.changes
        let upsert = try IndicatorSQL.upsertDefinition(d, .sqlite)
        try db.run(upsert.sql, upsert.bindings)
        let st = try db.prepare("INSERT INTO indicator_values (\(IndicatorSQL.valueColumns.joined(separator: ", "))) VALUES ("
                                + SQLDialect.sqlite.placeholders(from: 0, count: IndicatorSQL.valueColumns.count).joined(separator: ",") + ")")
        for (code, v) in values {
            try st.run(IndicatorSQL.valueRow(code, v, d, vintage: vintage, level: level, source: source, importID: importID))
        }
        return replaced
    }

    public func saveJoinReport(importID: Int64, json: String) throws {
        try db.run("INSERT INTO join_reports (import_id, report) VALUES (?, ?)", [.int(importID), .text(json)])
    }

    public func joinReport(importID: Int64) throws -> String? {
        guard try db.tableExists("join_reports") else { return nil }
        return try db.scalar(IndicatorSQL.joinReport(.sqlite), [.int(importID)])?.text
    }
}
