import Foundation
import Hummingbird
import HummingbirdTesting
import PortraitModel
@testable import PortraitServer
import PortraitTestSupport
import Testing

/// One count, one universe: on the shipped BSL data, the region-01, MRC-09, MRC-10 and Saint-Fabien reports and what the viewer
/// reads (`/maps/…json`, `/portrait/…?format=json`) give the same value for each count, or name the universe of each.
@Suite(.serialized) struct CountsTests {
    static func json(_ client: some TestClientProtocol, _ uri: String) async throws -> [String: Any] {
        try await client.execute(uri: uri, method: .get) { r in
            #expect(r.status == .ok, "\(uri)")
            return try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: r.body).utf8)) as? [String: Any])
        }
    }

    static func text(_ client: some TestClientProtocol, _ uri: String) async throws -> String {
        try await client.execute(uri: uri, method: .get) { r in String(buffer: r.body) }
    }

    /// The legend's and the note's lines of an SVG map, joined as one text (a long label wraps over several `<text>`).
    static func legendText(_ svg: String) -> String {
        svg.matches(of: /<text class="(?:legende|source)"[^>]*>([^<]*)<\/text>/).map { String($0.1) }.joined(separator: " ")
    }

    /// The count a legend row gives, by its label's start.
    static func legend(_ key: [String: Any], _ label: String) -> Int? {
        (key["rows"] as? [[String: Any]])?.first { ($0["label"] as? String)?.hasPrefix(label) == true }?["count"] as? Int
    }

    @Test(arguments: ["region/01", "mrc/09", "mrc/10"])
    func everyCountAgreesOrNamesItsUniverse(_ path: String) async throws {
        try await TerritoryRoutesTests.app().test(.router) { client in
            let report = try await Self.json(client, "/portrait/\(path)?format=json")
            let portrait = report   // the report's JSON: the portrait's figures at its top level, with its services and mobilisations
            let municipalities = try #require(portrait["municipality_count"] as? Int)
            let md = try await Self.text(client, "/portrait/\(path)?format=md")
            // Text and tables: the municipalities.
            #expect(md.contains("répartis dans \(municipalities) municipalités"), "\(path)")
            // The coast: municipalities and other units in the table add up to the map's legend of units (the viewer's key).
            let key = try await Self.json(client, "/maps/\(path).json?style=littoral")
            for (part, label) in [("Littoral", "Littoral"), ("Intérieur", "Intérieur")] {
                let row = try #require(md.components(separatedBy: "\n").first { $0.hasPrefix("| \(part) |") }, "\(path): no row \(part)")
                let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                let (m, others) = (Int(cells[1]) ?? -1, Int(cells[2]) ?? -1)
                #expect(Self.legend(key, label) == m + others, "\(path) \(part): \(m) + \(others) in the table, legend \(Self.legend(key, label) ?? -1)")
            }
            let svg = try await Self.text(client, "/maps/\(path).svg?style=littoral")
            // The legend's note on counts (wrapped over its column's lines).
            #expect(Self.legendText(svg).contains("nombre d&#39;unités (municipalités, TNO et réserves)"), "\(path)")
            // The mobilisations: out of the municipalities.
            #expect(md.contains("sur \(municipalities) relève"), "\(path)")
            // The services: the report's count in the territory is the legend's « dans le territoire ».
            for (category, label) in [("sante", "Installations de santé (MSSS)"), ("ecole", "Écoles")] {
                let section = try #require((report["services"] as? [[String: Any]])?.first { $0["category"] as? String == category })
                let inside = try #require(section["in_territory"] as? Int)
                #expect(md.contains("\(inside)\u{00A0}services dans le territoire") || md.contains("\(inside)\u{00A0}service dans le territoire"), "\(path) \(category)")
                // The gap map's legend (SVG): every service drawn is in the territory, or it says how many are and how many around.
                let svg = try await Self.text(client, "/maps/\(path).svg?style=gaps&category=\(category)")
                let row = try #require(Self.legendText(svg).firstMatch(of: try Regex(NSRegularExpression.escapedPattern(for: label) + "[^(]*?\\((\\d+)\\)")),
                                       "\(path) \(category): no legend row")
                let text = String(row.output[0].substring ?? ""), drawn = Int(row.output[1].substring ?? "") ?? -1
                #expect(drawn == inside && !text.contains("autour") || text.contains(": \(inside) dans le territoire, \(drawn - inside) autour"),
                        "\(path) \(category): \(text), report \(inside)")
                // The viewer's services (/services, the territory's): the report's count.
                let query = path.replacingOccurrences(of: "/", with: "=")
                let services = try await Self.json(client, "/services?\(query)")
                let inViewer = (services["features"] as? [[String: Any]])?.filter { ($0["properties"] as? [String: Any])?["category"] as? String == category }.count
                #expect(inViewer == inside, "\(path) \(category): viewer \(inViewer ?? -1), report \(inside)")
            }
        }
    }

    /// Saint-Fabien: its population the same in its fiche, the viewer's fiche (JSON) and the map's circles.
    @Test func aFicheAndTheViewerAgree() async throws {
        try await TerritoryRoutesTests.app().test(.router) { client in
            let report = try await Self.json(client, "/portrait/municipality/10070?format=json")
            let pop = try #require(report["population_total"] as? Double)
            let figure = try #require((report["comparison"] as? [String: Any])?["figures"] as? [[String: Any]])
            #expect(figure.first { $0["key"] as? String == "population" }?["value"] as? Double == pop)
            let md = try await Self.text(client, "/portrait/municipality/10070?format=md")
            #expect(md.contains("1 834 habitants") && pop == 1834)
            let key = try await Self.json(client, "/maps/mrc/10.json?style=population")
            let circle = try #require((key["circles"] as? [[String: Any]])?.first { $0["code"] as? String == "10070" })
            #expect(circle["value"] as? Double == pop)
        }
    }
}
