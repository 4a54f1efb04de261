import Foundation
import PortraitModel

extension PostGISStore {
    public func indicatorDefinitions() throws -> [IndicatorDefinition] {
        try session.query(IndicatorSQL.definitions(.postgres)).compactMap {
            try $0[0].text.map { try JSONDecoder().decode(IndicatorDefinition.self, from: Data($0.utf8)) }
        }
    }

    public func vintages(_ indicator: String) throws -> [Int] {
        try session.query(IndicatorSQL.vintages(.postgres), [.text(indicator)])
            .compactMap { $0[0].int }
    }

    public func indicatorValues(_ indicator: String, vintage: Int, level: Level = .municipality) throws -> [String: CellValue] {
        StoreRows.cellValues(try session.query(IndicatorSQL.values(.postgres), [.text(indicator), .int(Int64(vintage)), .text(level.rawValue)]))
    }

    public func indicatorSources(_ indicator: String, vintage: Int) throws -> [String] {
        try session.query(IndicatorSQL.sources(.postgres), [.text(indicator), .int(Int64(vintage))]).compactMap { $0[0].text }
    }

    @discardableResult
    public func replaceIndicatorValues(_ d: IndicatorDefinition, vintage: Int, level: Level,
                                       values: [(code: String, value: CellValue)], source: String, importID: Int64) throws -> Int {
        try write("indicator:" + d.name) {
            let replaced = try session.run(IndicatorSQL.deleteValues(.postgres), [.text(d.name), .int(Int64(vintage)), .text(level.rawValue)])
            let upsert = try IndicatorSQL.upsertDefinition(d, .postgres)
            try session.run(upsert.sql, upsert.bindings)
            try session.copy(into: "indicator_values", columns: IndicatorSQL.valueColumns,
                             rows: values.map { IndicatorSQL.valueRow($0.code, $0.value, d, vintage: vintage, level: level, source: source, importID: importID) })
            return replaced
        }
    }

    public func saveJoinReport(importID: Int64, json: String) throws {
        try write {
            try session.run("INSERT INTO join_reports (import_id, report) VALUES ($1, $2)", [.int(importID), .text(json)])
        }
    }

    public func joinReport(importID: Int64) throws -> String? {
        try session.scalar(IndicatorSQL.joinReport(.postgres), [.int(importID)])?.text
    }
}
