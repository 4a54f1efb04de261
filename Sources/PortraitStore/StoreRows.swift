import PortraitGeometry
import PortraitModel

/// Rows into answers, the same for both backends (their SELECTs name the same columns in the same order;
/// only the geometry column differs: a GeoPackage blob or PostGIS WKB, decoded by the backend).
enum StoreRows {
    /// The condition on `municipalities` (its `code`, `mrc_code`, `region_code`) that selects a territory's
    /// units, with its bindings; nil for the whole store. `placeholder(i)` writes the i-th (0-based) parameter
    /// of the clause ("?" for SQLite, "$n" for PostgreSQL); `members` are a custom territory's codes.
    static func territoryClause(_ t: Territory, members: [String]?, codeColumn: String = "code",
                                placeholder: (Int) -> String) -> (sql: String, bindings: [SQLValue])? {
        switch t.kind {
        case .all: return nil
        case .region: return ("region_code = \(placeholder(0))", [.text(t.code)])
        case .mrc: return ("mrc_code = \(placeholder(0))", [.text(t.code)])
        case .municipality: return ("\(codeColumn) = \(placeholder(0))", [.text(t.code)])
        case .custom:
            let codes = members ?? []
            guard !codes.isEmpty else { return ("0 = 1", []) }
            return ("\(codeColumn) IN (\(codes.indices.map(placeholder).joined(separator: ", ")))", codes.map { .text($0) })
        }
    }

    /// A custom territory from its row: territory_id, name, codes (comma-separated), source.
    static func customTerritory(_ r: [SQLValue]) -> CustomTerritory {
        var t = CustomTerritory(name: r[1].text ?? "", codes: (r[2].text ?? "").split(separator: ",").map(String.init), source: r[3].text ?? "")
        t.id = r[0].text ?? t.id
        return t
    }

    /// code, name, designation, mrc_code, region_code, area_km2, class, then the geometry (decoded by the caller).
    static func unit(_ level: Level, _ r: [SQLValue], offset o: Int = 0, geometry g: Geometry?) -> TerritorialUnit {
        TerritorialUnit(level: level, code: r[o].text ?? "", name: r[o + 1].text ?? "", designation: r[o + 2].text,
                        mrcCode: r[o + 3].text, regionCode: r[o + 4].text, areaKm2: r[o + 5].double ?? 0,
                        coastClass: r[o + 6].text.flatMap(CoastClass.init(rawValue:)),
                        geometry: g?.asMultiPolygon ?? MultiPolygon([]))
    }

    /// Rows of (designation or '', count).
    static func designationCounts(_ rows: [[SQLValue]]) -> [String: Int] {
        var out: [String: Int] = [:]
        for r in rows { out[r[0].text ?? ""] = r[1].int ?? 0 }
        return out
    }

    /// Rows of (class, aquatic, count).
    static func coastCounts(_ rows: [[SQLValue]]) -> CoastCounts {
        var c = CoastCounts()
        for r in rows {
            let n = r[2].int ?? 0
            if r[1].int == 1 { c.aquatic += n } else if r[0].text == CoastClass.littoral.rawValue { c.littoral += n } else { c.interieur += n }
        }
        return c
    }

    /// Rows of (territory_code, value, status).
    static func cellValues(_ rows: [[SQLValue]]) -> [String: CellValue] {
        var out: [String: CellValue] = [:]
        for r in rows {
            let c = r[0].text ?? ""
            switch r[2].text {
            case "ok": out[c] = r[1].double.map(CellValue.value) ?? .missing
            case "suppressed": out[c] = .suppressed
            default: out[c] = .missing
            }
        }
        return out
    }

    /// The status column of a value.
    static func status(_ v: CellValue) -> String {
        switch v { case .value: "ok"; case .suppressed: "suppressed"; case .missing: "missing" }
    }

    /// category, name, address, municipality_code, capacity, source, vintage, then the point (decoded by the caller).
    static func service(_ r: [SQLValue], offset o: Int = 0, geometry: Geometry?) -> Service? {
        guard case .point(let p)? = geometry else { return nil }
        return Service(category: r[o].text ?? "", name: r[o + 1].text ?? "", address: r[o + 2].text, municipalityCode: r[o + 3].text,
                       capacity: r[o + 4].double, source: r[o + 5].text ?? "", vintage: r[o + 6].int, position: p.position)
    }

    static let mobilisationColumns = """
        mobilisation_id, name, acronym, scale, territory_type, territory_code, region_code, start_year, end_year,
        leadership, enjeux, budget_cad, source
        """

    static func mobilisation(_ r: [SQLValue]) -> Mobilisation {
        Mobilisation(id: r[0].text ?? "", name: r[1].text ?? "", acronym: r[2].text, scale: r[3].text,
                     territoryType: Level(rawValue: r[4].text ?? "") ?? .region, territoryCode: r[5].text ?? "", regionCode: r[6].text,
                     start: r[7].int, end: r[8].int, leadership: r[9].text,
                     enjeux: (r[10].text ?? "").split(separator: "|").map(String.init), budget: r[11].double, source: r[12].text)
    }

    /// A mobilisation's values, in `mobilisationColumns` order, then the import id.
    static func values(_ m: Mobilisation, importID: Int64) -> [SQLValue] {
        [.text(m.id), .text(m.name), .optional(m.acronym), .optional(m.scale), .text(m.territoryType.rawValue),
         .text(m.territoryCode), .optional(m.regionCode), m.start.map { .int(Int64($0)) } ?? .null,
         m.end.map { .int(Int64($0)) } ?? .null, .optional(m.leadership), .text(m.enjeux.joined(separator: "|")),
         .optional(m.budget), .optional(m.source), .int(importID)]
    }
}
