import PortraitGeometry
import PortraitModel

/// The layers and styles for GIS clients in a GeoPackage: a features table rewritten whole (`portrait_municipalites`),
/// and QGIS's own `layer_styles` table (its columns as QGIS creates it, registered in `gpkg_contents`), so that
/// QGIS opens the store looking like Portrait's maps.
extension GeoPackageStore {
    static let layerStylesDDL = """
        CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), \
        f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, \
        styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), \
        update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))
        """

    public func replaceGISLayer(_ layer: GISLayer) throws {
        let t = layer.name
        try transaction {
            if try db.query("SELECT 1 FROM gpkg_contents WHERE table_name = ?", [.text(t)]).first != nil {
                try db.execute("DROP TABLE IF EXISTS \(SQLDialect.identifier(t)); DROP TABLE IF EXISTS \(SQLDialect.identifier("rtree_\(t)_geom"))")
                try db.run("DELETE FROM gpkg_geometry_columns WHERE table_name = ?", [.text(t)])
                try db.run("DELETE FROM gpkg_extensions WHERE table_name = ?", [.text(t)])
                try db.run("DELETE FROM gpkg_contents WHERE table_name = ?", [.text(t)])
            }
            try package.createFeatureTable(t, geometryType: layer.geometryType,
                                           columns: layer.columns.map { ($0.name, $0.type == .text ? "TEXT" : $0.type == .real ? "REAL" : "INTEGER") },
                                           identifier: t, description: layer.description)
            let names = ["geom"] + layer.columns.map { "\(SQLDialect.identifier($0.name))" }
            let st = try db.prepare("INSERT INTO \(SQLDialect.identifier(t)) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ",")))")
            for r in layer.rows { try st.run([GeoPackage.blob(r.geometry)] + r.values.map(SQLDialect.value)) }
            try package.refreshContents(t)
        }
    }

    public func replaceLayerStyles(_ styles: [LayerStyle], tables: [String]) throws {
        try transaction {
            try db.execute(Self.layerStylesDDL)
            if try db.query("SELECT 1 FROM gpkg_contents WHERE table_name = 'layer_styles'").first == nil {
                try db.run("INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('layer_styles', 'attributes', 'layer_styles', ?)",
                           [.text("Styles QGIS (QML et SLD) des couches, écrits par Portrait")])
            }
            for t in tables { try db.run("DELETE FROM layer_styles WHERE f_table_name = ?", [.text(t)]) }
            let st = try db.prepare("""
                INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, styleSLD,
                  useAsDefault, description, owner, ui) VALUES ('', '', ?, ?, ?, ?, ?, ?, ?, 'portrait', NULL)
                """)
            for s in styles {
                try st.run([.text(s.table), .text(s.geometryColumn), .text(s.name), .text(s.qml), .text(s.sld), .int(s.isDefault ? 1 : 0), .text(s.description)])
            }
        }
    }

    public func layerStyles() throws -> [LayerStyle] {
        guard try db.query("SELECT 1 FROM sqlite_master WHERE name = 'layer_styles'").first != nil else { return [] }
        return try db.query("SELECT f_table_name, f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description FROM layer_styles ORDER BY f_table_name, styleName")
            .map { r in LayerStyle(table: r[0].text ?? "", geometryColumn: r[1].text ?? "geom", name: r[2].text ?? "", qml: r[3].text ?? "",
                                   sld: r[4].text ?? "", isDefault: (r[5].int ?? 0) != 0, description: r[6].text ?? "") }
    }
}
