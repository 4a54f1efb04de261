import Foundation
import HummingbirdTesting
import PortraitDemo
import PortraitImport
import PortraitModel
@testable import PortraitServer
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// The web viewer in headless Chromium against a live server on loopback:
/// a screenshot is written (its path printed) and the page's content is checked.
@Suite(.serialized) struct ViewerTests {
    static var chromium: String? { ExternalTool.chromium }
    static var leaflet: Bool { FileManager.default.fileExists(atPath: "/usr/share/javascript/leaflet/leaflet.js") }

    static func run(_ args: [String]) async throws -> String {
        try await ExternalTool.runDetached(try #require(chromium, "chromium absent : scripts/setup l'installe"),
                             ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=8000"] + args)
    }

    @Test(.enabled(if: (chromium != nil && leaflet) || ProcessInfo.processInfo.environment["CI"] == "true",
                   "chromium ou libjs-leaflet absent (scripts/setup les installe) : test ignoré hors CI"))
    func viewerShowsTheDemoInChromium() async throws {
        try #require(Self.leaflet, "libjs-leaflet absent")
        try await Fixture.app().test(.live) { client in
            let port = try #require(client.port)
            let url = "http://127.0.0.1:\(port)/"
            let dom = try await Self.run(["--dump-dom", url])
            #expect(dom.contains("data-ready=\"oui\""), "the page did not finish loading: \(dom.suffix(400))")
            #expect(dom.contains("Région fictive de la Côte-aux-Exemples"))
            #expect(dom.contains("Littoral et intérieur"))                   // legend title of the default map
            #expect(dom.contains("Territoire FICTIF") && !dom.contains("id=\"avertissement\" class=\"fictif\" hidden"))
            #expect(dom.contains("leaflet-interactive"))                     // polygons drawn by Leaflet
            #expect(dom.contains("/portrait/region/99?format=html"))         // link to the portrait
            #expect(dom.contains(">Rapport</a>") && dom.contains("/portrait/region/99?format=pdf"))
            #expect(dom.contains("Port-Démo"))                               // a town of 5,000+ named on the map (context layer)
            #expect(dom.contains("Tables de concertation"))                  // the mobilisations map is offered
            let shot = (NSTemporaryDirectory() as NSString).appendingPathComponent("portrait-viewer-\(port).png")
            _ = try await Self.run(["--window-size=1280,800", "--screenshot=\(shot)", url])
            let png = try #require(FileManager.default.contents(atPath: shot))
            #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000)
            print("capture de la visionneuse : \(shot)")
        }
    }
}
