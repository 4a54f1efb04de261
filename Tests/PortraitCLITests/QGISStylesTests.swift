import Foundation
@testable import PortraitCLI
import PortraitModel
@testable import PortraitRender
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// The store opened in QGIS (PyQGIS from Debian's python3-qgis, headless, `scripts/qgis-check`) after the shipped
/// dataset is loaded with the built binary: the `portrait_municipalites` layer comes with its default style, a
/// graduated renderer whose ranges and colours are Portrait's classes and palette, one style per indicator, coast
/// and inland, tables, the services by category; an import of a new indicator adds its style, with no other step.
@Suite(.serialized) struct QGISStylesTests {
    static var qgis: Bool {
        (try? ExternalTool.run("/usr/bin/python3", ["-c", "import qgis.core; print('oui')"]))?.hasSuffix("oui\n") == true
    }

    static func check(_ store: String) throws -> [String: Any] {
        let out = try ExternalTool.run("/usr/bin/env", ["QT_QPA_PLATFORM=offscreen", "/usr/bin/python3", Binary.root.path + "/scripts/qgis-check", store,
                                                        GISLayers.municipalities, "services"])
        let line = out.split(separator: "\n").last.map(String.init) ?? ""
        return try #require((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any], "scripts/qgis-check printed: « \(out) »")
    }

    @Test(.enabled(if: qgis || ProcessInfo.processInfo.environment["CI"] == "true",
                   "python3-qgis absent (scripts/setup l'installe) : test ignoré hors CI"))
    func qgisOpensTheStoreWithPortraitsClasses() throws {
        let exe = try #require(Binary.url, "portrait not built")
        let store = scratch() + "/bsl.gpkg"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Binary.root.path + "/scripts/load-bsl")
        p.arguments = [exe.path, store]
        p.standardOutput = Pipe()
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let j = try Self.check(store)
        let layers = try #require(j["layers"] as? [String: [String: Any]])
        let m = try #require(layers[GISLayers.municipalities])
        #expect(m["valid"] as? Bool == true && m["features"] as? Int == 127 && m["default_loaded"] as? Bool == true)
        let styles = try #require(m["styles"] as? [String: [String: Any]])
        #expect(Set(["littoral", "mobilisations", "population", "logements", "revenu_median_menage", "densite_population"]).isSubset(of: Set(styles.keys)))
        // Each indicator's ranges are the classes Portrait computes, in its palette.
        let s = try Stores.open(store)
        let dir = Binary.root.path + "/styles"
        for d in try s.indicatorDefinitions() where d.weight == nil && d.name != "superficie_terre" {
            let style = try #require(styles[d.name], "\(d.name)")
            #expect(style["type"] as? String == "graduatedSymbol" && style["field"] as? String == d.name)
            let values = try s.indicatorValues(d.name, vintage: try s.vintages(d.name).last!, level: .municipality).values.compactMap(\.number)
            let name = StyleCatalogue.defaultStyle(for: d)
            let mapStyle = try StyleCatalogue.load(name == "population" ? "taux" : name, from: dir)
            let palette = try StyleCatalogue.load(name, from: dir).palette.colors
            let c = MapTheme.classification(values, indicator: d, ordinal: d.kind == .quintile, style: mapStyle)
            let ranges = try #require(style["ranges"] as? [[String: Any]])
            #expect(ranges.count == c.classes.count, "\(d.name)")
            for (r, cl) in zip(ranges, c.classes) {
                #expect(abs((r["lower"] as? Double ?? .nan) - cl.lower) < 1e-9 && abs((r["upper"] as? Double ?? .nan) - cl.upper) < 1e-9, "\(d.name) \(r)")
                #expect(r["label"] as? String == cl.labelFR)
                #expect((r["color"] as? String)?.lowercased() == palette[cl.index - 1].lowercased(), "\(d.name) \(r)")
            }
        }
        let coast = try #require(styles["littoral"]?["categories"] as? [[String: Any]])
        #expect(coast.map { $0["value"] as? String } == ["littoral", "interieur"])
        let services = try #require(layers["services"]?["default"] as? [String: Any])
        #expect(services["type"] as? String == "categorizedSymbol" && (services["categories"] as? [[String: Any]])?.count == 2)
        #expect((j["sld"] as? [String: Int])?["\(GISLayers.municipalities)/littoral"] == 2)

        // The coast classified again at another distance: the layer QGIS opens has the new classes, every unit
        // (derived once, after the classification, in the same transaction).
        func classes() throws -> (stored: [String: String], layer: [String: String]) {
            let db = try SQLiteDatabase(path: store, readOnly: true)
            func read(_ sql: String) throws -> [String: String] {
                Dictionary(uniqueKeysWithValues: try db.query(sql).compactMap { r in r[0].text.map { ($0, r[1].text ?? "") } })
            }
            return (try read("SELECT code, class FROM municipalities WHERE aquatic = 0"), try read("SELECT code, class FROM \(GISLayers.municipalities)"))
        }
        let first = try classes()
        #expect(first.stored == first.layer && first.stored.count == 127)
        let wider = try Binary.run(["classify", "coast", "--distance-m", "6000", "--store", store])
        #expect(wider.status == 0, "\(wider.stderr)")
        let second = try classes()
        #expect(second.stored != first.stored, "a 6 km distance moves some units to the coast")
        #expect(second.stored == second.layer)

        // The selection of MRC 10 as a GeoPackage of its own: its ten municipalities with their indicators and
        // styles, services, gaps; a Portrait store whose portrait is the original's.
        let package = scratch() + "/rimouski-neigette.gpkg"
        let made = try Binary.run(["package", "--mrc", "10", "-o", package, "--store", store])
        #expect(made.status == 0, "\(made.stderr)")
        let pj = try Binary.run(["portrait", "--mrc", "10", "--format", "json", "--store", package])
        let original = try Binary.run(["portrait", "--mrc", "10", "--format", "json", "--store", store])
        let pop = { (s: String) in ((try? JSONSerialization.jsonObject(with: Data(s.utf8))) as? [String: Any])?["population_total"] as? Double }
        #expect(pop(pj.stdout) == 57_191 && pop(original.stdout) == 57_191)
        let pl = try #require(try Self.check(package)["layers"] as? [String: [String: Any]])
        #expect(pl[GISLayers.municipalities]?["features"] as? Int == 10 && (pl[GISLayers.municipalities]?["default"] as? [String: Any])?["type"] as? String == "graduatedSymbol")
        #expect((pl["services"]?["features"] as? Int ?? 0) > 50)

        // The same store moved to PostGIS: QGIS's PostgreSQL provider finds the styles there and applies the default.
        if TestPostgres.shouldRun {
            let db = try TestPostgres.freshDatabase("qgis")
            let copied = try Binary.run(["store", "copy", "--from", store, "--to", db])
            #expect(copied.status == 0, "\(copied.stderr)")
            let pg = try #require(try Self.check(db)["layers"] as? [String: [String: Any]])
            let m = try #require(pg[GISLayers.municipalities])
            #expect(m["valid"] as? Bool == true && m["features"] as? Int == 127 && m["default_loaded"] as? Bool == true, "\(m)")
            #expect((m["default"] as? [String: Any])?["type"] as? String == "graduatedSymbol")
            #expect((m["styles"] as? [String: Any])?.count ?? 0 >= 6)
        }

        // A new indicator imported: its style is there with nothing else to run.
        let csv = scratch() + "/chomage.csv"
        let codes = try s.units(.municipality, withGeometry: false).filter { !$0.isAquatic }.map(\.code)
        try ("code;taux_chomage\n" + codes.enumerated().map { "\($1);\(Double($0 % 17) + 2.5)" }.joined(separator: "\n") + "\n")
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let r = try Binary.run(["import", "indicators", csv, "--indicator", "chomage", "--value-field", "taux_chomage", "--vintage", "2021",
                                "--unit", "%", "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        let after = try #require((try Self.check(store)["layers"] as? [String: [String: Any]])?[GISLayers.municipalities]?["styles"] as? [String: [String: Any]])
        #expect(after["chomage"]?["type"] as? String == "graduatedSymbol")
    }
}
