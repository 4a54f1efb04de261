import Foundation
import PortraitGeometry
@testable import PortraitImport
import PortraitTestSupport
import Testing

/// GeoJSON read without GDAL must be read exactly as GDAL reads it: the same layer name, fields, values
/// (types included) and coordinates, on the real files and on the corner cases; what the native reader does
/// not take (where GDAL reads something else) goes to GDAL.
struct GeoJSONParityTests {
    static func expectSame(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let why: String
        do { _ = try GeoJSONReader.read(try Data(contentsOf: URL(fileURLWithPath: path))); why = "" } catch { why = "\(error)" }
        let native = try #require(VectorSource.readGeoJSON(path: path), "not read natively: \(path): \(why)", sourceLocation: sourceLocation)
        let gdal = try VectorSource.readGDAL(path: path)
        #expect(native.name == gdal.name && native.driver == gdal.driver, sourceLocation: sourceLocation)
        #expect(native.fields == gdal.fields, sourceLocation: sourceLocation)
        #expect(native.crsName == gdal.crsName && native.hasGeometryColumn == gdal.hasGeometryColumn, sourceLocation: sourceLocation)
        #expect(native.features.count == gdal.features.count, sourceLocation: sourceLocation)
        var differences = 0
        for (a, b) in zip(native.features, gdal.features) where a.attributes != b.attributes || a.geometry != b.geometry || a.index != b.index {
            if differences == 0 { Issue.record("\(path): feature \(a.index) differs: \(a.attributes) / \(b.attributes)", sourceLocation: sourceLocation) }
            differences += 1
        }
        #expect(differences == 0, "\(path): \(differences) features differ", sourceLocation: sourceLocation)
    }

    @Test(.enabled(if: RealData.shouldRun, RealData.skipReason), arguments: [
        "boundaries/bsl_municipalites_sda.geojson", "boundaries/qc-mrc.geojson", "boundaries/qc-regions.geojson",
        "boundaries/qc_lieux_habites_points.geojson", "coastline/gshhg_f_stlawrence_L1.geojson", "coastline/gshhg_h_stlawrence_L1.geojson",
        "services/bsl_ecoles_publiques_meq.geojson", "services/bsl_installations_sante_odhf.geojson",
        "synthetic/qc_municipalites_voronoi_synthetique.geojson",
    ])
    func realFilesReadAsGDALReadsThem(_ file: String) throws {
        try Self.expectSame(try RealData.path(file))
    }

    /// Dates (GDAL's Date fields) and nested addresses: read by GDAL.
    @Test(.enabled(if: RealData.shouldRun, RealData.skipReason), arguments: [
        "services/bsl_collegial_public.geojson", "services/bsl_pps_prive_installations.geojson",
    ])
    func realFilesLeftToGDAL(_ file: String) throws {
        let path = try RealData.path(file)
        #expect(VectorSource.readGeoJSON(path: path) == nil)
        #expect(try VectorSource.read(path: path).features.count > 0)
    }

    static func write(_ json: String, _ name: String = "c.geojson") throws -> String {
        let path = tempPath(name)
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func cornerCasesReadAsGDALReadsThem() throws {
        // Integers and reals in one field (reals), fields absent from some features (null), null geometry and
        // properties, escapes and accents, 3D positions, every geometry type, an unclosed ring (kept as it is),
        // booleans (GDAL's Integer(Boolean)), a crs member naming WGS84, a new field after the last known one.
        let json = #"""
        {"type":"FeatureCollection","name":"essai","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[
          {"type":"Feature","id":4,"properties":{"n":1,"t":"Rimouski \u00e9\"q\"\\ \ud83d\ude00 Lévis","m":5},"geometry":{"type":"Point","coordinates":[-68.5,48.45,12]}},
          {"type":"Feature","properties":{"n":2.5,"t":"u","m":-7,"extra":"x"},"geometry":null},
          {"type":"Feature","properties":null,"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]],[[0.1,0.1],[0.2,0.1],[0.2,0.2],[0.1,0.1]]],[[[5,5],[6,5],[6,6],[5,5]]]]}},
          {"type":"Feature","properties":{"t":null},"geometry":{"type":"GeometryCollection","geometries":[{"type":"LineString","coordinates":[[1e-3,2E2],[3,-4.25]]},{"type":"MultiPoint","coordinates":[[1,2],[3,4]]}]}},
          {"type":"Feature","properties":{"n":12345678901234},"geometry":{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,3]]]}},
          {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}},
          {"type":"Feature","properties":{"extra":"y","b":true},"geometry":null},
          {"type":"Feature","properties":{"m":1,"b":false},"geometry":null}
        ]}
        """#
        try Self.expectSame(try Self.write(json))
        let l = try #require(VectorSource.readGeoJSON(path: try Self.write(json)))
        #expect(l.features[0].attributes["n"] == .double(1) && l.features[1].attributes["extra"] == .string("x"))
        #expect(l.features[0].attributes["m"] == .int(5) && l.features[0].attributes["extra"] == .null)
        #expect(l.fields == ["n", "t", "m", "extra", "b"] && l.features[6].attributes["b"] == .int(1) && l.features[7].attributes["b"] == .int(0))
        #expect(l.features[0].attributes["t"] == .string("Rimouski é\"q\"\\ 😀 Lévis"))
        // No name member: the file's name, as GDAL.
        try Self.expectSame(try Self.write(#"{"type":"FeatureCollection","features":[]}"#, "sans_nom.geojson"))
    }

    @Test(arguments: [
        #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32198"}},"features":[]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","id":"a","properties":{},"geometry":null}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"b":true},"geometry":null},{"type":"Feature","properties":{"b":1},"geometry":null}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":1,"t":"a"},"geometry":null},{"type":"Feature","properties":{"n":2,"x":"b","t":"c"},"geometry":null}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":1,"t":"a"},"geometry":null},{"type":"Feature","properties":{"t":"c","n":2},"geometry":null}]}"#,
        #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:32198"}},"features":[]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"d":"2021-05-01"},"geometry":null}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"h":"12:30"},"geometry":null}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"l":[1,2]},"geometry":null}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"g":123456789012345678901},"geometry":null}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"c":"07005"},"geometry":null},{"type":"Feature","properties":{"c":7005},"geometry":null}]}"#,
        #"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[]}}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]"#,
    ])
    func whatGDALReadsOtherwiseGoesToGDAL(_ json: String) throws {
        let path = try Self.write(json, "g.geojson")
        #expect(VectorSource.readGeoJSON(path: path) == nil)
        // And `read` still answers (through GDAL) or fails with GDAL's own reason.
        do { _ = try VectorSource.read(path: path) } catch let e as SourceError {
            if case .notAGeoFile = e {} else { Issue.record("\(e)") }
        }
    }
}
