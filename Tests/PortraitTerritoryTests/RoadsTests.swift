import Foundation
import PortraitGeometry
@testable import PortraitImport
import PortraitModel
import PortraitSpatial
@testable import PortraitTerritory
import PortraitTestSupport
import Testing

/// Road networks: reading, the graph, and the nearest service by road, checked against answers computed another way.
struct RoadsTests {
    @Test func osmTagsSpeedsAndDurations() {
        let tags = RoadReader.hstore(#""maxspeed"=>"30","name:sv"=>"Nylandsgatan","oneway"=>"yes","note"=>"a \"quoted\" => value""#)
        #expect(tags["maxspeed"] == "30" && tags["oneway"] == "yes" && tags["name:sv"] == "Nylandsgatan")
        #expect(tags["note"] == #"a "quoted" => value"#)
        #expect(RoadReader.speed("50") == 50 && RoadReader.speed("50 km/h") == 50 && RoadReader.speed("FI:urban") == nil)
        #expect(abs((RoadReader.speed("30 mph") ?? 0) - 48.28032) < 1e-9 && RoadReader.speed("none") == nil && RoadReader.speed("0") == nil)
        #expect(RoadReader.minutes("01:05") == 65 && RoadReader.minutes("0:40:30") == 40.5 && RoadReader.minutes("25") == 25 && RoadReader.minutes("a:b") == nil)
        // Quebec's Highway Safety Code speeds for OSM's classes; a class the table lacks takes 50 km/h.
        #expect(RoadSpeeds.osm.kmh("motorway") == 100 && RoadSpeeds.osm.kmh("trunk") == 90 && RoadSpeeds.osm.kmh("residential") == 50)
        #expect(RoadSpeeds.osm.kmh("inconnue") == 50 && RoadSpeeds.aqreseau.kmh("Autoroute") == 100)
    }

    /// Geodesic lengths against a known distance: one degree of latitude at the equator is 110,574.4 m on WGS84.
    @Test func geodesicLengths() {
        #expect(abs(Geodesic.distance(Position(0, 0), Position(0, 1)) - 110_574.389) < 0.01)
        #expect(abs(Geodesic.distance(Position(-68.5, 48.4), Position(-68.5, 48.4))) < 1e-9)
    }

    /// A small line layer: two roads cross at a shared vertex, one road is one way, one stands apart; the graph has the
    /// nodes, edges, components and share outside the largest that can be counted by hand.
    static func layer(_ dir: String) throws -> String {
        func road(_ id: Int, _ coords: [(Double, Double)], kmh: Double?, oneway: String = "non", cls: String = "Locale") -> String {
            let c = coords.map { "[\($0.0),\($0.1)]" }.joined(separator: ",")
            let v = kmh.map { String($0) } ?? "null"
            return #"{"type":"Feature","properties":{"id":\#(id),"vitesse":\#(v),"sens":"\#(oneway)","classe":"\#(cls)"},"geometry":{"type":"LineString","coordinates":[\#(c)]}}"#
        }
        return try write(collection([
            road(1, [(-68.60, 48.40), (-68.55, 48.40), (-68.50, 48.40)], kmh: 60),              // west-east, crossed at its middle
            road(2, [(-68.55, 48.35), (-68.55, 48.40), (-68.55, 48.45)], kmh: 30),              // south-north through the middle
            road(3, [(-68.50, 48.40), (-68.45, 48.40)], kmh: 90, oneway: "oui"),                // one way, eastward
            road(4, [(-68.40, 48.50), (-68.39, 48.50)], kmh: nil, cls: "Autoroute"),           // apart; no speed: its class's
        ]), "routes_synthetiques.geojson", in: dir)
    }

    @Test func theGraphOfALineLayer() throws {
        var o = RoadReadOptions()
        o.speedField = "vitesse"; o.onewayField = "sens"; o.classField = "classe"; o.speeds = .aqreseau
        let (n, r) = try RoadReader.read(file: try Self.layer(tempDir("portrait-roads")), options: o)
        // Nodes: the 4 ends of roads 1 and 2, their crossing, the end of road 3, the 2 ends of road 4.
        #expect(r.nodes == 8 && n.nodes.count == 8)
        #expect(r.edges == 6 && r.components == 2 && r.withoutSpeed == 1 && r.withoutSpeedRows == [4])
        let apart = Geodesic.distance(Position(-68.40, 48.50), Position(-68.39, 48.50))
        #expect(abs(r.lengthOutsideLargest - apart / (r.lengthKm * 1000)) < 1e-9)
        let oneWay = try #require(n.edges.first { $0.roadClass == "Locale" && $0.minutesBackward == nil })
        #expect(abs(oneWay.minutesForward! - oneWay.lengthM / 1000 / 90 * 60) < 1e-9)
        let motorway = try #require(n.edges.first { $0.roadClass == "Autoroute" })
        #expect(abs(motorway.minutesForward! - motorway.lengthM / 1000 / 100 * 60) < 1e-9 && motorway.minutesBackward != nil)
    }

    /// A file that is no network, a missing one, a line layer's field that is not there, and a field option given to an
    /// OpenStreetMap extract (whose ways carry their own): each refused, naming the file once and what to do.
    @Test func refusals() throws {
        let dir = tempDir("portrait-roads")
        let text = try write("pas un réseau", "reseau.pbf", in: dir)
        #expect { try RoadReader.read(file: text) } throws: { "\($0)".hasPrefix(text + " : ") && "\($0)".components(separatedBy: text).count == 2 }
        #expect { try RoadReader.read(file: dir + "/absent.osm.pbf") } throws: { "\($0)".contains("fichier introuvable") }
        var o = RoadReadOptions(); o.speedField = "vitesse_inexistante"
        #expect { try RoadReader.read(file: try Self.layer(dir), options: o) } throws: { "\($0)".contains("champ « vitesse_inexistante » (--speed-field) introuvable") }
        #expect { try RoadReader.read(file: dir + "/extrait.osm.pbf", options: o) } throws: { "\($0)".contains("ne s'applique pas à un extrait OpenStreetMap") }
    }

    /// The nearest service by road on that layer, against sums done by hand: a one-way road is taken only its way,
    /// a place off the network pays its part at the stated speed, a network apart is never reached.
    @Test func nearestByRoadByHand() throws {
        var o = RoadReadOptions()
        o.speedField = "vitesse"; o.onewayField = "sens"
        let (n, _) = try RoadReader.read(file: try Self.layer(tempDir("portrait-roads")), options: o)
        let routing = Routing(network: n, offRoadKmh: 20)
        let east = Position(-68.45, 48.40), west = Position(-68.60, 48.40), north = Position(-68.55, 48.45)
        func d(_ a: Position, _ b: Position) -> Double { Geodesic.distance(a, b) }
        let mid = Position(-68.55, 48.40), junction = Position(-68.50, 48.40)
        // To a service at the east end: from the west end along road 1 then one way road 3.
        let toEast = try routing.nearest(from: [west, north], to: [east], by: .distance)
        #expect(abs(toEast[0]!.cost - (d(west, mid) + d(mid, junction) + d(junction, east))) < 0.01)
        #expect(abs(toEast[1]!.cost - (d(north, mid) + d(mid, junction) + d(junction, east))) < 0.01)
        // From the east end back west: road 3 cannot be driven westward, and nothing else leaves it.
        let fromEast = try routing.nearest(from: [east], to: [west], by: .time)
        #expect(fromEast[0] == nil)
        // Minutes: 60 km/h on road 1, 30 on road 2, 90 on road 3.
        let minutes = try routing.nearest(from: [north], to: [east], by: .time)[0]!.cost
        let expected = d(north, mid) / 1000 / 30 * 60 + d(mid, junction) / 1000 / 60 * 60 + d(junction, east) / 1000 / 90 * 60
        #expect(abs(minutes - expected) < 1e-6)
        // A place 1 km south of road 1's middle, beside road 2's south end (off the network): its part at 20 km/h.
        let off = Position(-68.55, 48.35 - 0.009)
        let a = try #require(try routing.nearest(from: [off], to: [west], by: .time)[0])
        #expect(abs(a.offMetres - d(off, Position(-68.55, 48.35))) < 1)
        #expect(abs(a.cost - (a.offMetres / 1000 / 20 * 60 + d(Position(-68.55, 48.35), mid) / 1000 / 30 * 60 + d(mid, west) / 1000 / 60 * 60)) < 1e-3)
        // The road apart is never reached from the others.
        #expect(try routing.nearest(from: [Position(-68.395, 48.50)], to: [west, east], by: .distance)[0] == nil)
    }

    /// Services within a time by road, and the two-step floating catchment on those catchments, by hand: the west end
    /// reaches the service at the east end in about 14 minutes, the north end in about 16, the road apart never.
    @Test func catchmentsInMinutesByHand() throws {
        var o = RoadReadOptions()
        o.speedField = "vitesse"; o.onewayField = "sens"
        let (n, _) = try RoadReader.read(file: try Self.layer(tempDir("portrait-roads")), options: o)
        let routing = Routing(network: n)
        let west = Position(-68.60, 48.40), north = Position(-68.55, 48.45), apart = Position(-68.395, 48.50), east = Position(-68.45, 48.40)
        let minutes = try routing.nearest(from: [west, north], to: [east], by: .time).map { $0!.cost }
        let limit = (minutes[0] + minutes[1]) / 2          // between the two: the west end within, the north end not
        #expect(minutes[0] < limit && minutes[1] > limit)
        let reach = routing.reachable(minutes: limit, from: [west, north, apart], to: [east])
        #expect(reach == [[0], [], []])
        // One service of capacity 30 within reach of the west end's 600 people only: 30 / 600 per person, × 1,000.
        let scores = Routing.twoStepFloatingCatchment(reach: reach, population: [600, 400, 50], capacity: [30])
        #expect(scores == [50, 0, 0])
        let wide = routing.reachable(minutes: minutes[1] + 1, from: [west, north], to: [east])
        #expect(Routing.twoStepFloatingCatchment(reach: wide, population: [600, 400], capacity: [nil]) == [1, 1])
    }

    /// The nearest service by road, by distance and in minutes, against pyrosm's driving network of its real Helsinki
    /// extract and networkx's Dijkstra, the lengths on the same ellipsoid (scripts/roads-check); no place may differ by
    /// more than 1 %, and none differs here beyond the output's rounding.
    @Test(.enabled(if: RealData.isCI || ((try? ExternalTool.run("/usr/bin/env", ["python3", "-c", "import pyrosm, networkx; print('oui')"]))?.hasPrefix("oui") == true),
                   "pyrosm et networkx absents (scripts/setup --checks les installe) : test ignoré hors CI"))
    func helsinkiAgainstPyrosmAndNetworkx() throws {
        let exe = try #require(["/.build/debug/portrait", "/.build/release/portrait"].map { projectRoot + $0 }.first { FileManager.default.isExecutableFile(atPath: $0) })
        let out = try ExternalTool.run("/usr/bin/env", ["python3", projectRoot + "/scripts/roads-check", exe])
        let result = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], "\(out)")
        #expect((result["compared_distance"] as? Int ?? 0) >= 50 && (result["compared_time"] as? Int ?? 0) >= 50, "\(out)")
        #expect((result["over_1_percent"] as? [Any])?.isEmpty == true, "\(out)")
        #expect((result["max_relative_distance"] as? Double ?? 1) < 0.001 && (result["max_relative_time"] as? Double ?? 1) < 0.001, "\(out)")
    }
}
