import Foundation
@testable import PortraitCLI
import PortraitModel
import PortraitTestSupport
import Testing

/// Error kinds map once to exit codes and message prefixes.
struct ExitCodeTests {
    @Test func everyKindHasItsExitCode() {
        let expected: [ErrorKind: (Int32, String)] = [.invalidInput: (1, "erreur"), .notFound: (1, "erreur"),
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
}
