import Foundation
@testable import PortraitCLI
import PortraitModel
import PortraitTestSupport
import Testing

/// Error kinds map once to exit codes and message prefixes.
struct ExitCodeTests {
    @Test func everyKindHasItsExitCode() {
        let expected: [ErrorKind: (Int32, String)] = [.invalidInput: (1, "erreur"), .notFound: (1, "erreur"), .forbidden: (1, "erreur"),
                                                      .internal: (2, "échec"), .unavailable: (3, "indisponible")]
        for kind in ErrorKind.allCases {
            #expect(Exit.code(for: kind) == expected[kind]?.0 && Exit.prefix(for: kind) == expected[kind]?.1, "\(kind)")
        }
    }

    /// The same missing store gives the same one-line answer and exit code 3 to every command that reads it.
    @Test func missingStoreIsUnavailableEverywhere() throws {
        let store = scratch() + "/absent.gpkg"
        let commands: [[String]] = [
            ["info"], ["portrait", "--region", "01"], ["render", "--region", "01", "--style", "littoral", "-o", scratch() + "/m.svg",
                                                      "--styles", projectRoot + "/styles"],
            ["gaps", "--region", "01", "--category", "ecole"], ["export", "municipalities", "--region", "01", "-o", scratch() + "/x.geojson"],
            ["classify", "coast"], ["tiles", "seed", "--layer", "municipalities", "--tiles", scratch()],
        ]
        var messages: Set<String> = []
        for c in commands {
            let r = try Binary.run(c + ["--store", store])
            #expect(r.status == 3, "\(c): \(r.stderr)")
            #expect(r.stderr.hasPrefix("portrait : indisponible : ") && r.stderr.split(separator: "\n").count == 1, "\(c)")
            messages.insert(r.stderr)
        }
        #expect(messages.count == 1)
        #expect(!FileManager.default.fileExists(atPath: store))
    }

    @Test func aBadCodeIsBadInput() throws {
        let r = try Binary.run(["portrait", "--region", "abc", "--store", scratch() + "/s.gpkg"])
        #expect(r.status == 1 && r.stderr.contains("« abc »"))
    }

    /// GDAL is loaded only for what needs it: with no libgdal to load, GeoJSON and CSV still import (read natively)
    /// and the store answers; a workbook import is `unavailable` (exit 3) with the loader's reason, and the store is unchanged.
    @Test(.enabled(if: RealData.shouldRun, RealData.skipReason))
    func withoutGDALGeoJSONStillImports() throws {
        let store = scratch() + "/sans-gdal.gpkg"
        let env = ["PORTRAIT_LIBGDAL": "/nonexistent/libgdal.so"]
        let boundaries = try RealData.path("boundaries/bsl_municipalites_sda.geojson")
        let r = try Binary.run(["import", "boundaries", boundaries, "--level", "municipality", "--store", store], env: env)
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try Binary.run(["import", "indicators", try RealData.path("population/recensement_2021_sdr_bsl.csv"),
                                  "--preset", "statcan-census", "--vintage", "2021", "--store", store], env: env)
        #expect(csv.status == 0, "\(csv.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        let workbook = scratch() + "/synthetique.xlsx"
        try Data("PK".utf8).write(to: URL(fileURLWithPath: workbook))
        let xlsx = try Binary.run(["import", "indicators", workbook, "--indicator", "x", "--value-field", "x", "--vintage", "2021",
                                   "--store", store], env: env)
        #expect(xlsx.status == 3 && xlsx.stderr.hasPrefix("portrait : indisponible : ") && xlsx.stderr.contains("/nonexistent/libgdal.so"), "\(xlsx.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
        #expect(try Binary.run(["info", "--store", store], env: env).stdout.contains("132"))
    }
}
