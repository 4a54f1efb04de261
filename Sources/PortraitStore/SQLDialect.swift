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
    /// `ORDER BY code`, byte order (SQLite's BINARY, PostgreSQL's "C").
    let orderByCode: String

    static let sqlite = SQLDialect(placeholder: { _ in "?" }, nullText: "NULL", nullGeometry: "NULL", geometry: "geom", orderByCode: "ORDER BY code")
    static let postgres = SQLDialect(placeholder: { "$\($0 + 1)" }, nullText: "NULL::text", nullGeometry: "NULL::bytea",
                                     geometry: "ST_AsBinary(geom)", orderByCode: "ORDER BY code COLLATE \"C\"")

    func quote(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

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

    /// A territory's municipalities: its condition and bindings (nil for the whole store).
    static func territory(_ t: Territory, members: [String]?, _ d: SQLDialect) -> (sql: String, bindings: [SQLValue])? {
        StoreRows.territoryClause(t, members: members, placeholder: d.placeholder)
    }
}
