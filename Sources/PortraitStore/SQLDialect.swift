import Foundation
import PortraitGeometry
import PortraitModel

/// What differs between Portrait's two SQL dialects, said once: placeholders (`?` in SQLite, `$n` in
/// PostgreSQL), typed nulls, the geometry column read as WKB, the collation that orders codes byte for byte,
/// and the quoting of names. The statements both backends share are written against it (`UnitSQL`), so a
/// query is written once and each backend only runs it.
struct SQLDialect: Sendable {
    /// The i-th (0-based) parameter of a statement.
    let placeholder: @Sendable (Int) -> String
    /// A null of a text column, and of a geometry column, in a SELECT list.
    let nullText: String
    let nullGeometry: String
    /// The geometry column as the backend's reader takes it.
    let geometry: String
    /// The collation that sorts text byte for byte, after a column (SQLite's default BINARY: nothing to say).
    let byteOrder: String

    /// `ORDER BY code`, byte order.
    var orderByCode: String { "ORDER BY code" + byteOrder }

    /// The parameters `first`, `first + 1`… of a statement, as many as `count`.
    func placeholders(from first: Int, count: Int) -> [String] { (first..<(first + count)).map(placeholder) }

    /// An INSERT of every column of one of Portrait's own tables (names from its table lists, never from a request),
    /// the values bound.
    func insert(into table: String, columns: [String]) -> String {
        "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders(from: 0, count: columns.count).joined(separator: ", ")))"
    }

    static let sqlite = SQLDialect(placeholder: { _ in "?" }, nullText: "NULL", nullGeometry: "NULL", geometry: "geom", byteOrder: "")
    static let postgres = SQLDialect(placeholder: { "$\($0 + 1)" }, nullText: "NULL::text", nullGeometry: "NULL::bytea",
                                     geometry: "ST_AsBinary(geom)", byteOrder: " COLLATE \"C\"")

    func quote(_ name: String) -> String { Self.identifier(name) }

    /// A table or column name as SQL, on both backends: between double quotes, a quote inside doubled, a NUL (which
    /// would end the statement's C string) replaced. Every name that reaches a statement goes through here, even one the
    /// import's edge has already checked (`NameRule`): one gate missing does not open the other.
    static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}").replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A property value as a column value.
    static func value(_ v: PropertyValue) -> SQLValue {
        switch v {
        case .string(let s): .text(s)
        case .int(let i): .int(Int64(i))
        case .double(let d): d.isFinite ? .double(d) : .null
        case .bool(let b): .int(b ? 1 : 0)
        case .null: .null
        }
    }
}

/// The statements of the units' wrappers, one text for both backends.
enum UnitSQL {
    /// The columns `StoreRows.unit` reads, in its order.
    static func columns(_ level: Level, geometry: Bool, _ d: SQLDialect) -> String {
        let cols: String = switch level {
        case .region: "code, name, \(d.nullText), \(d.nullText), \(d.nullText), area_km2, class"
        case .mrc: "code, name, \(d.nullText), \(d.nullText), region_code, area_km2, class"
        case .municipality: "code, name, designation, mrc_code, region_code, area_km2, class"
        }
        return cols + ", " + (geometry ? d.geometry : d.nullGeometry)
    }

    /// The units of a level matching an optional condition, ordered by code.
    static func select(_ level: Level, geometry: Bool, where clause: String?, _ d: SQLDialect) -> String {
        "SELECT \(columns(level, geometry: geometry, d)) FROM \(d.quote(GeoPackageStore.table(level)))"
            + (clause.map { " WHERE \($0)" } ?? "") + " " + d.orderByCode
    }

    /// One unit by its code.
    static func byCode(_ d: SQLDialect) -> String { "code = \(d.placeholder(0))" }

    /// A territory's municipalities: its condition and bindings (nil for the whole store); its parameters
    /// numbered from `first`.
    static func territory(_ t: Territory, members: [String]?, _ d: SQLDialect, first: Int = 0) -> (sql: String, bindings: [SQLValue])? {
        StoreRows.territoryClause(t, members: members) { d.placeholder($0 + first) }
    }
}

/// The statements of the services' wrappers, one text for both backends.
enum ServiceSQL {
    static func columns(_ d: SQLDialect) -> String { "category, name, address, municipality_code, capacity, source, vintage, " + d.geometry }

    static func select(where clause: String?, _ d: SQLDialect) -> String {
        "SELECT \(columns(d)) FROM services" + (clause.map { " WHERE \($0)" } ?? "") + " ORDER BY fid"
    }

    /// The condition of a category (nil for every one), and its bindings.
    static func category(_ c: String?, _ d: SQLDialect) -> (sql: String?, bindings: [SQLValue]) {
        (c == nil ? nil : "category = \(d.placeholder(0))", c.map { [SQLValue.text($0)] } ?? [])
    }

    /// The services of a category (or every one) located in a territory's municipalities.
    static func inTerritory(category c: String?, _ t: Territory, members: [String]?, _ d: SQLDialect) -> (sql: String, bindings: [SQLValue]) {
        let first = c == nil ? 0 : 1
        let inside = UnitSQL.territory(t, members: members, d, first: first)
        let clause = "municipality_code IN (SELECT code FROM municipalities" + (inside.map { " WHERE \($0.sql)" } ?? "") + ")"
        return (c == nil ? clause : "category = \(d.placeholder(0)) AND " + clause, (c.map { [SQLValue.text($0)] } ?? []) + (inside?.bindings ?? []))
    }

    static func categories(_ d: SQLDialect) -> String { "SELECT DISTINCT category\(d.byteOrder) FROM services ORDER BY 1" }

    static func deleteCategory(_ d: SQLDialect) -> String { "DELETE FROM services WHERE category = \(d.placeholder(0))" }
}

/// The statements of the indicators' wrappers, one text for both backends.
enum IndicatorSQL {
    static func definitions(_ d: SQLDialect) -> String { "SELECT definition FROM indicators ORDER BY name\(d.byteOrder)" }

    static func vintages(_ d: SQLDialect) -> String {
        "SELECT DISTINCT vintage FROM indicator_values WHERE indicator = \(d.placeholder(0)) ORDER BY vintage DESC"
    }

    static func values(_ d: SQLDialect) -> String {
        let p = d.placeholders(from: 0, count: 3)
        return "SELECT territory_code, value, status FROM indicator_values WHERE indicator = \(p[0]) AND vintage = \(p[1]) AND level = \(p[2])"
    }

    static func sources(_ d: SQLDialect) -> String {
        let p = d.placeholders(from: 0, count: 2)
        return "SELECT DISTINCT source\(d.byteOrder) FROM indicator_values WHERE indicator = \(p[0]) AND vintage = \(p[1]) ORDER BY 1"
    }

    static func deleteValues(_ d: SQLDialect) -> String {
        let p = d.placeholders(from: 0, count: 3)
        return "DELETE FROM indicator_values WHERE indicator = \(p[0]) AND vintage = \(p[1]) AND level = \(p[2])"
    }

    /// The definition, inserted or updated, and its bindings.
    static func upsertDefinition(_ def: IndicatorDefinition, _ d: SQLDialect) throws -> (sql: String, bindings: [SQLValue]) {
        let p = d.placeholders(from: 0, count: 6).joined(separator: ", ")
        return ("""
            INSERT INTO indicators (name, kind, unit, label_fr, label_en, definition) VALUES (\(p))
            ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, unit = excluded.unit, label_fr = excluded.label_fr,
              label_en = excluded.label_en, definition = excluded.definition
            """, [.text(def.name), .text(def.kind.rawValue), .text(def.unit), .text(def.labelFR), .text(def.labelEN),
                  .text(String(decoding: try JSONEncoder.stable.encode(def), as: UTF8.self))])
    }

    static let valueColumns = ["territory_code", "level", "indicator", "vintage", "value", "status", "unit", "source", "import_id"]

    /// One row of `indicator_values`, in `valueColumns` order.
    static func valueRow(_ code: String, _ v: CellValue, _ def: IndicatorDefinition, vintage: Int, level: Level, source: String, importID: Int64) -> [SQLValue] {
        [.text(code), .text(level.rawValue), .text(def.name), .int(Int64(vintage)), .optional(v.number),
         .text(StoreRows.status(v)), .text(def.unit), .text(source), .int(importID)]
    }

    static func joinReport(_ d: SQLDialect) -> String { "SELECT report FROM join_reports WHERE import_id = \(d.placeholder(0)) ORDER BY id LIMIT 1" }
}
