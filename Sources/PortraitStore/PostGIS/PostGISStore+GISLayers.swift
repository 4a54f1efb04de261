import Foundation
import PortraitGeometry
import PortraitModel

/// The layers and styles for GIS clients in PostGIS: a table rewritten whole (`portrait_municipalites`, its geometry
/// typed and indexed), and the `layer_styles` table QGIS reads and writes in the current schema (its columns as
/// QGIS creates them). `type` stays null: QGIS matches a style whose type is null or its own name of the layer's
/// geometry type, which differs between versions (a "Polygon" row is not found for a MultiPolygon layer in 3.22).
extension PostGISStore {
    static let layerStylesDDL = """
        CREATE TABLE IF NOT EXISTS layer_styles (id SERIAL PRIMARY KEY, f_table_catalog varchar, f_table_schema varchar,
          f_table_name varchar, f_geometry_column varchar, stylename text, styleqml xml, stylesld xml, useasdefault boolean,
          description text, owner varchar(63) DEFAULT CURRENT_USER, ui xml, update_time timestamp DEFAULT CURRENT_TIMESTAMP, type varchar)
        """

    public func replaceGISLayer(_ layer: GISLayer) throws {
        let t = layer.name
        let kind = layer.geometryType.uppercased() == "MULTIPOLYGON" ? "MultiPolygon" : layer.geometryType.uppercased() == "POINT" ? "Point" : "Geometry"
        try write(t) {
            try session.run("DROP TABLE IF EXISTS \(SQLDialect.identifier(t))")
            let cols = layer.columns.map { "\(SQLDialect.identifier($0.name)) \($0.type == .text ? "text" : $0.type == .real ? "double precision" : "bigint")" }
            try session.run("CREATE TABLE \(SQLDialect.identifier(t)) (fid bigserial PRIMARY KEY, geom geometry(\(kind), 4326), \(cols.joined(separator: ", ")))")
            try session.run("COMMENT ON TABLE \(SQLDialect.identifier(t)) IS \(Self.literal(layer.description))")
            let names = ["geom"] + layer.columns.map { "\(SQLDialect.identifier($0.name))" }
            let params = names.indices.map { $0 == 0 ? "ST_SetSRID(ST_GeomFromEWKB($1), 4326)" : "$\($0 + 1)" }
            for r in layer.rows {
                try session.run("INSERT INTO \(SQLDialect.identifier(t)) (\(names.joined(separator: ", "))) VALUES (\(params.joined(separator: ", ")))",
                                [Self.ewkb(r.geometry)] + r.values.map(SQLDialect.value))
            }
            try session.run("CREATE INDEX ON \(SQLDialect.identifier(t)) USING gist (geom)")
        }
    }

    static func literal(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    public func replaceLayerStyles(_ styles: [LayerStyle], tables: [String]) throws {
        try write("layer_styles") {
            try session.run(Self.layerStylesDDL)
            for t in tables { try session.run("DELETE FROM layer_styles WHERE f_table_schema = current_schema() AND f_table_name = $1", [.text(t)]) }
            for s in styles {
                try session.run("""
                    INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, stylename, styleqml, stylesld,
                      useasdefault, description, type) VALUES (current_database(), current_schema(), $1, $2, $3, XMLPARSE(DOCUMENT $4), XMLPARSE(DOCUMENT $5), $6::boolean, $7, NULL)
                    """, [.text(s.table), .text(s.geometryColumn), .text(s.name), .text(s.qml), .text(s.sld), .text(s.isDefault ? "true" : "false"),
                          .text(s.description)])
            }
        }
    }

    public func layerStyles() throws -> [LayerStyle] {
        guard try session.scalar("SELECT to_regclass('layer_styles') IS NOT NULL")?.int == 1 else { return [] }
        return try session.query("""
            SELECT f_table_name::text, f_geometry_column::text, stylename, styleqml::text, stylesld::text, useasdefault::int, description
            FROM layer_styles WHERE f_table_schema = current_schema() ORDER BY f_table_name, stylename
            """).map { r in
            LayerStyle(table: r[0].text ?? "", geometryColumn: r[1].text ?? "geom", name: r[2].text ?? "", qml: r[3].text ?? "", sld: r[4].text ?? "",
                       isDefault: (r[5].int ?? 0) != 0, description: r[6].text ?? "")
        }
    }
}
