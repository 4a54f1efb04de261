import Foundation
import Hummingbird
import HummingbirdTesting
import PortraitModel
import PortraitReport
@testable import PortraitServer
import PortraitTestSupport
import Testing

/// axe-core 4 in headless Chromium (`scripts/axe-check`: Selenium, chromium-driver, and the axe.min.js of
/// axe-playwright-python) on the HTML reports of region 01 and MRC 10, a municipal fiche, the atlas index and the
/// viewer, served from the real BSL data: no serious or critical violation.
@Suite(.serialized) struct AccessibilityTests {
    static var axe: Bool {
        (try? ExternalTool.run("/usr/bin/env", ["python3", "-c", "import importlib.util, selenium; print('oui' if importlib.util.find_spec('axe_playwright_python') else 'non')"]))?
            .hasPrefix("oui") == true && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
    }

    @Test(.enabled(if: (ViewerTests.chromium != nil && ViewerTests.leaflet && axe) || ProcessInfo.processInfo.environment["CI"] == "true",
                   "chromium, chromium-driver, selenium ou axe-playwright-python absent (scripts/setup les installe) : test ignoré hors CI"))
    func noSeriousOrCriticalViolation() async throws {
        let dir = tempDir("portrait-axe")
        _ = try Atlas.write(storePath: try TerritoryRoutesTests.store.get(), region: try .region("01"), directory: dir,
                            stylesDirectory: root + "/styles")
        try await TerritoryRoutesTests.app().test(.live) { client in
            let port = try #require(client.port)
            let base = "http://127.0.0.1:\(port)"
            let pages = [base + "/portrait/region/01?format=html", base + "/portrait/mrc/10?format=html",
                         base + "/portrait/municipality/10070?format=html", base + "/?region=01", "file://" + dir + "/index.html"]
            let out = try await ExternalTool.runDetached("/usr/bin/env", ["python3", root + "/scripts/axe-check"] + pages)
            let j = try #require((try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any], "scripts/axe-check printed: « \(out) »")
            let results = try #require(j["pages"] as? [String: [String: Any]], "\(out)")
            #expect(Set(results.keys) == Set(pages))
            for page in pages {
                let r = try #require(results[page])
                #expect(r["error"] == nil, "\(page): \(r["error"] ?? "")")
                #expect((r["version"] as? String)?.hasPrefix("4.") == true)
                let violations = r["violations"] as? [[String: Any]] ?? []
                let serious = violations.filter { ["serious", "critical"].contains($0["impact"] as? String ?? "") }
                #expect(serious.isEmpty, "\(page): \(serious.map { "\($0["id"] ?? "") (\($0["count"] ?? 0)) \($0["nodes"] ?? "")" })")
            }
        }
    }
}
