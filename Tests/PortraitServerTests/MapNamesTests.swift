import Foundation
import Hummingbird
import HummingbirdTesting
import PortraitModel
@testable import PortraitServer
import PortraitStore
import PortraitTestSupport
import Testing

/// Maps that name what they show, on the shipped BSL data: a region's map names its MRC, no town of 5,000 or more is
/// dropped, a fiche's map names and outlines its municipality, the dashboard's map names its territories.
@Suite(.serialized) struct MapNamesTests {
    static func text(_ client: some TestClientProtocol, _ uri: String) async throws -> String {
        try await client.execute(uri: uri, method: .get) { r in
            #expect(r.status == .ok, "\(uri): \(String(buffer: r.body).prefix(200))")
            return String(buffer: r.body)
        }
    }

    @Test func regionMapsNameTheirMRCAndEveryTown() async throws {
        let store = try TerritoryRoutesTests.store.get()
        let s = try Stores.open(store)
        let mrc = try s.units(.mrc, withGeometry: false).filter { $0.regionCode == "01" }.map(\.name)
        let population = try #require(try s.latestValues("population")).values
        let towns = try s.units(.municipality, withGeometry: false).filter { (population[$0.code]?.number ?? 0) >= 5_000 }.map(\.name)
        #expect(mrc.count == 8 && towns.count == 7)
        try await TerritoryRoutesTests.app().test(.router) { client in
            for style in ["population", "littoral", "densite"] {
                let svg = try await Self.text(client, "/maps/region/01.svg?style=\(style)")
                let labels = svg.matches(of: /<text class="etiquette[^"]*"[^>]*>([^<]*)<\/text>/).map { String($0.1) }
                let mrcLabels = svg.matches(of: /data-mrc="1">([^<]*)</).map { String($0.1) }
                #expect(Set(mrcLabels) == Set(mrc.map { $0.replacingOccurrences(of: "'", with: "&#39;") }), "\(style): \(mrcLabels)")
                for t in towns { #expect(labels.contains(t), "\(style): \(t) not named") }
            }
            // A fiche's map: its municipality named in bold and outlined (the focus).
            let fiche = try await Self.text(client, "/portrait/municipality/10070?format=html")
            #expect(fiche.contains(" font-weight=\"bold\" data-focus=\"1\">Saint-Fabien</text>"))
        }
    }

    @Test func theDashboardMapNamesItsTerritories() async throws {
        let store = try HostileInputTests.stores.get(.geopackage)
        try await buildApplication(try HostileInputTests.options(store)).test(.router) { client in
            let svg = try await Self.text(client, "/plans/01-cosmoss?format=svg")
            let labels = svg.matches(of: /data-label="[^"]*"[^>]*>([^<]*)</).map { String($0.1) }
            #expect(labels.count >= 6 && labels.contains("Rimouski-Neigette") && labels.contains("La Matapédia"), "\(labels)")
        }
    }
}
