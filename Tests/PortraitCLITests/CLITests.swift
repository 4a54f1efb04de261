import Foundation
@testable import PortraitCLI
import PortraitDemo
import PortraitModel
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// Runs the built `portrait` executable, as a user would.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum Binary {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `portrait` next to the test bundle (swift build --build-tests builds both).
    static var url: URL? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("portrait"),
            Bundle.main.bundleURL.appendingPathComponent("portrait"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("portrait"),
            root.appendingPathComponent(".build/debug/portrait"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func run(_ args: [String], env: [String: String] = [:]) throws -> Run {
        let exe = try #require(url, "the portrait executable is not built: run `swift build` before `swift test`")
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: NSTemporaryDirectory())
        var e = ProcessInfo.processInfo.environment
        e.removeValue(forKey: Stores.environmentVariable)
        for (k, v) in env { e[k] = v }
        p.environment = e
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let r = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: r, as: UTF8.self))
    }
}

func scratch() -> String { tempDir("portrait-cli") }

@Suite(.serialized) struct CLITests {
    @Test func demoThenInfoAsJSON() throws {
        let store = scratch() + "/demo.gpkg"
        let load = try Binary.run(["demo", "load", "--store", store])
        #expect(load.status == 0, "\(load.stderr)")
        #expect(load.stdout.contains("fictif"))
        let info = try Binary.run(["info", "--format", "json", "--store", store])
        #expect(info.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
        #expect(json["crs"] as? String == "EPSG:4326")
        #expect(json["demo"] as? Bool == true)
        let muni = try #require(json["municipalities"] as? [String: Any])
        #expect(muni["units"] as? Int == 27)
        let coast = try #require((json["coast"] as? [String: Any])?["municipalities"] as? [String: Any])
        #expect(coast["littoral"] as? Int == 8 && coast["interieur"] as? Int == 16)
        let layers = try #require(json["layers"] as? [[String: Any]])
        #expect(Set(layers.compactMap { $0["name"] as? String }).isSuperset(of: ["regions", "mrc", "municipalities", "coastline", "imports"]))
    }

    @Test func storeFromEnvironmentVariable() throws {
        let store = scratch() + "/env.gpkg"
        #expect(try Binary.run(["demo", "load"], env: [Stores.environmentVariable: store]).status == 0)
        #expect(FileManager.default.fileExists(atPath: store))
        let en = try Binary.run(["info", "--lang", "en"], env: [Stores.environmentVariable: store])
        #expect(en.stdout.contains("FICTIONAL") && en.stdout.contains("Coastal / inland"))
    }

    @Test func badInputIsOneLineAndExitCodeOne() throws {
        let dir = scratch()
        let store = dir + "/s.gpkg"
        #expect(try Binary.run(["demo", "load", "--store", store]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        let bad = dir + "/vide.geojson"
        try #"{"type":"FeatureCollection","features":[]}"#.write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try Binary.run(["import", "boundaries", bad, "--level", "municipality", "--store", store])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("portrait : erreur : \(bad) : "))
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
    }

    @Test func argumentMistakesAreUsageErrors() throws {
        let r = try Binary.run(["import", "boundaries", "x.geojson", "--level", "municipality", "--field", "code"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("role=CHAMP"))
        let lvl = try Binary.run(["import", "boundaries", "x.geojson", "--level", "commune"])
        #expect(lvl.status == 64)
    }

    @Test func importReportAsJSON() throws {
        let dir = scratch()
        let files = try DemoTerritory.write(to: dir)
        let mun = try #require(files.first { $0.hasSuffix("demo_municipalites.geojson") })
        let r = try Binary.run(["import", "boundaries", mun, "--level", "municipality", "--format", "json", "--store", dir + "/s.gpkg"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let log = try #require(json["log"] as? [String: Any])
        #expect(log["units"] as? Int == 27)
        #expect((log["sha256"] as? String)?.count == 64)
    }

    @Test func storePathResolution() {
        #expect(Stores.resolve("x.gpkg") == "x.gpkg")
        #expect(Stores.resolve(nil).hasSuffix(".gpkg"))
    }
}

/// The store is a GeoPackage that GDAL's own `ogrinfo` opens as it is.
@Suite struct OgrinfoTests {
    static var ogrinfo: String? {
        ["/usr/bin/ogrinfo", "/usr/local/bin/ogrinfo"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: ogrinfo != nil || ProcessInfo.processInfo.environment["CI"] == "true",
                   "ogrinfo absent (paquet gdal-bin) : installé par scripts/setup"))
    func ogrinfoReadsTheStore() throws {
        let store = scratch() + "/o.gpkg"
        #expect(try Binary.run(["demo", "load", "--store", store]).status == 0)
        let exe = try #require(Self.ogrinfo, "ogrinfo is missing: scripts/setup installs gdal-bin")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["-so", "-al", store]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(text.contains("using driver `GPKG' successful"))
        #expect(text.contains("Layer name: municipalities"))
        #expect(text.contains("Feature Count: 27"))
        #expect(text.contains("Geometry: Multi Polygon"))
        #expect(text.contains("Layer name: coastline"))
        #expect(text.contains("WGS 84"))
    }
}

@Suite(.serialized) struct IndicatorCLITests {
    @Test func importIndicatorsAndPortraitInEveryFormat() throws {
        let dir = scratch()
        let store = dir + "/s.gpkg"
        #expect(try Binary.run(["demo", "load", "--store", store]).status == 0)
        let csv = dir + "/synthetique.csv"
        try "code;valeur\n91005;12,5\n91010;x\n99999;3\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let r = try Binary.run(["import", "indicators", csv, "--indicator", "essai", "--vintage", "2024", "--value-field", "valeur", "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("lignes sans territoire (1) : 99999"))
        #expect(r.stdout.contains("essai : 1 valeur(s) confidentielle(s)"))
        let json = try Binary.run(["portrait", "--region", "99", "--format", "json", "--store", store])
        #expect(json.status == 0)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((obj["indicators"] as? [[String: Any]])?.contains { $0["name"] as? String == "essai" } == true)
        let md = try Binary.run(["portrait", "--mrc", "991", "--store", store])
        #expect(md.stdout.hasPrefix("# Portrait territorial : La Côte-Fictive (MRC 991)"))
        let html = try Binary.run(["portrait", "--region", "99", "--format", "html", "--lang", "en", "--store", store])
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.contains("<html lang=\"en\">"))
        let both = try Binary.run(["portrait", "--region", "99", "--mrc", "991", "--store", store])
        #expect(both.status == 64)
        let bad = try Binary.run(["portrait", "--region", "42", "--store", store])
        #expect(bad.status == 1 && bad.stderr.contains("région 42 inconnue"))
    }

    /// A spreadsheet (made from a SYNTHETIC CSV with GDAL's ogr2ogr) goes through the same importer.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ogr2ogr") || ProcessInfo.processInfo.environment["CI"] == "true"))
    func xlsxSpreadsheet() throws {
        let dir = scratch()
        let store = dir + "/s.gpkg"
        #expect(try Binary.run(["demo", "load", "--store", store]).status == 0)
        let csv = dir + "/synthetique.csv"
        try "code,valeur\n91005,\"1 234,5\"\n91010,..\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let xlsx = dir + "/synthetique.xlsx"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ogr2ogr")
        p.arguments = ["-f", "XLSX", xlsx, csv]
        try p.run(); p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let r = try Binary.run(["import", "indicators", xlsx, "--indicator", "essai", "--vintage", "2024", "--value-field", "valeur",
                                "--format", "json", "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let join = try #require(obj["join"] as? [String: Any])
        #expect(join["matched"] as? Int == 2)
        #expect((join["suppressed"] as? [String: Int])?["essai"] == 1)
        let s = try GeoPackageStore(openExisting: store)
        #expect(try s.indicatorValues("essai", vintage: 2024)["91005"] == .value(1234.5))
    }
}

@Suite(.serialized) struct ServicesCLITests {
    @Test func servicesGapsAndExportsThroughTheCommandLine() throws {
        let dir = scratch()
        let store = dir + "/s.gpkg"
        #expect(try Binary.run(["demo", "load", "--store", store]).status == 0)
        let csv = dir + "/synthetique_clsc.csv"
        try "nom,lat,lon\nCLSC fictif,49.33,-67.50\nSans coordonnées,,\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let imp = try Binary.run(["import", "services", csv, "--category", "clsc", "--field", "name=nom", "--store", store])
        #expect(imp.status == 0, "\(imp.stderr)")
        #expect(imp.stdout.contains("sans coordonnées (1)"))
        let gaps = try Binary.run(["gaps", "--region", "99", "--category", "clsc", "--max-km", "30", "--store", store])
        #expect(gaps.status == 0 && gaps.stdout.contains("à plus de 30 km"))
        let unknown = try Binary.run(["gaps", "--region", "99", "--category", "ecole", "--store", store])
        #expect(unknown.status == 1 && unknown.stderr.contains("catégories importées : clsc"))
        let out = dir + "/m.geojson"
        let e = try Binary.run(["export", "municipalities", "--region", "99", "--bbox=-67.6,49.0,-67.0,49.5", "-o", out, "--store", store])
        #expect(e.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let features = try #require(json["features"] as? [[String: Any]])
        // The box holds the three western columns (MRC 991) and touches the fourth.
        #expect(features.count >= 9 && features.count < 24)
        #expect((features.first?["properties"] as? [String: Any])?["nearest_clsc_km"] != nil)
    }
}

/// The « Done when » of the dashboard, through the executable from another folder: import the mobilisations with
/// the Mauricie targets, then the SYNTHETIC measurements, then `portrait plan 04-consortium` in every format.
@Suite(.serialized, .enabled(if: RealData.shouldRun, RealData.skipReason)) struct PlanCLITests {
    @Test func mauricieDashboardFromTheCommandLine() throws {
        let dir = scratch()
        let store = dir + "/mauricie.gpkg"
        #expect(try Binary.run(["import", "boundaries", try RealData.path("boundaries/qc-mrc.geojson"), "--level", "mrc", "--store", store]).status == 0)
        let mob = try Binary.run(["import", "mobilisations", try RealData.path("mobilisations/mobilisations_seeds.csv"),
                                  "--targets", try RealData.path("mobilisations/mauricie_cibles_2024_2028.csv"), "--store", store])
        #expect(mob.status == 0, "\(mob.stderr)")
        #expect(mob.stdout.contains("9 cibles"))
        let m = try Binary.run(["import", "measurements", Binary.root.path + "/geodata/plans/mauricie_mesures_2024_2026_SYNTHETIQUE.csv", "--store", store])
        #expect(m.status == 0 && m.stdout.contains("Mesures : 45 importées"), "\(m.stderr)")
        let html = try Binary.run(["plan", "04-consortium", "--format", "html", "--date", "2026-12-31", "--store", store])
        #expect(html.status == 0, "\(html.stderr)")
        let page = html.stdout
        #expect(page.components(separatedBy: "<article class=\"cible\"").count - 1 == 9)
        // A chart for the plan in each of the 9 targets, and one per territory measured (20 statuses, 11 of them local).
        #expect(page.components(separatedBy: "<svg class=\"graphe\"").count - 1 == 9 + 11)
        for label in ["en bonne voie", "à surveiller", "en retard", "atteinte", "sans donnée"] { #expect(page.contains("</span>\(label)</span>"), "\(label)") }
        #expect(page.contains("Cibles en bonne voie par territoire"))   // the map: the MRC of Mauricie are in the store
        let json = try Binary.run(["plan", "04-consortium", "--format", "json", "--date", "2026-12-31", "--store", store])
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((obj["targets"] as? [Any])?.count == 9)
        let csv = try Binary.run(["plan", "04-consortium", "--format", "csv", "--date", "2026-12-31", "--store", store, "-o", dir + "/plan.csv"])
        #expect(csv.status == 0 && csv.stdout.contains("9 cibles, 20 statuts"))
        let table = try String(contentsOfFile: dir + "/plan.csv", encoding: .utf8)
        #expect(table.split(separator: "\r\n").count == 21)
        // The expected value and the ratio as the explanation reads them (66.627…, 1.00218… unrounded).
        #expect(table.contains(",33.3,2024,66.63,1.002,"), "\(table.prefix(600))")
        let unknown = try Binary.run(["plan", "04-consortiun", "--store", store])
        #expect(unknown.status == 1 && unknown.stderr.contains("04-consortium"))
        let badDate = try Binary.run(["plan", "04-consortium", "--date", "31/12/2026", "--store", store])
        #expect(badDate.status == 64)
        if ExternalTool.chromium != nil || RealData.isCI {
            let pdf = try Binary.run(["plan", "04-consortium", "--format", "pdf", "--annual", "2025", "--store", store, "-o", dir + "/rapport.pdf"])
            #expect(pdf.status == 0, "\(pdf.stderr)")
            let text = try ExternalTool.run("/usr/bin/pdftotext", [dir + "/rapport.pdf", "-"])
            #expect(text.contains("Rapport annuel d'activité 2025"))
            #expect(text.contains("taux de participation aux concertations locales"))
        }
    }
}
