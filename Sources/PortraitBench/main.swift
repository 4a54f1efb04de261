import Foundation
import PortraitGeometry
import PortraitImport
import PortraitModel
import PortraitSpatial
import PortraitStore
import PortraitTerritory

/// `portrait-bench roads N SERVICES`: a SYNTHETIC grid road network of N × N nodes (2·N·(N−1) two-way edges, 250 m
/// apart, a primary road at 90 km/h every tenth row and column, residential streets at 50 km/h elsewhere), the services
/// on the nodes i·7919 mod N² (the same in benchmarks/roads_networkx.py and the pgRouting SQL), and the time of one
/// multi-source search from all the services at once. Prints one JSON line.
///
/// `portrait-bench nearest PLACES SERVICES`: reads two point files (untimed), then times `Access.nearest` (both sets
/// projected to EPSG:32198, the services' grid built, every place's nearest service found). Prints one JSON line.
let args = CommandLine.arguments
func usage() -> Never {
    FileHandle.standardError.write(Data("usage: portrait-bench roads N SERVICES | roads-store N SERVICES STORE RUNS | nearest PLACES SERVICES\n".utf8))
    exit(64)
}

func nearest(places: String, services: String) throws {
    let t0 = Date()
    let p = try VectorSourceReader.points(places).map(\.1), s = try VectorSourceReader.points(services).map(\.1)
    let read = Date().timeIntervalSince(t0)
    let t1 = Date()
    let found = try Access.nearest(from: p, to: s)
    let searched = Date().timeIntervalSince(t1)
    let km = found.compactMap { $0?.km }
    print(#"{"places":\#(p.count),"services":\#(s.count),"read_s":\#(String(format: "%.3f", read)),"nearest_s":\#(String(format: "%.3f", searched)),"mean_km":\#(String(format: "%.3f", km.reduce(0, +) / Double(max(km.count, 1))))}"#)
}

/// The SYNTHETIC grid network of `bench`.
func grid(_ n: Int) -> RoadNetwork {
    func position(_ i: Int, _ j: Int) -> Position { Position(-69.5 + Double(i) * 0.0034, 47.5 + Double(j) * 0.00225) }
    var nodes: [Position] = []
    nodes.reserveCapacity(n * n)
    for j in 0..<n { for i in 0..<n { nodes.append(position(i, j)) } }
    var edges: [RoadNetwork.Edge] = []
    edges.reserveCapacity(2 * n * (n - 1))
    func add(_ a: Int, _ b: Int, primary: Bool) {
        let pts = [nodes[a], nodes[b]]
        let length = Geodesic.length(pts)
        let minutes = length / 1000 / (primary ? 90 : 50) * 60
        edges.append(.init(from: a, to: b, lengthM: length, minutesForward: minutes, minutesBackward: minutes,
                           roadClass: primary ? "primary" : "residential", points: pts))
    }
    for j in 0..<n {
        for i in 0..<n {
            let v = j * n + i
            if i + 1 < n { add(v, v + 1, primary: j % 10 == 0) }
            if j + 1 < n { add(v, v + n, primary: i % 10 == 0) }
        }
    }
    return RoadNetwork(nodes: nodes, edges: edges, source: "grille_SYNTHETIQUE")
}

/// `portrait-bench roads-store N SERVICES STORE RUNS`: the same grid written into a store (a PostGIS URL: pgRouting
/// runs the search), then RUNS times the search as `gaps --max-min` runs it on that store. Prints one JSON line, the
/// median search.
func benchStore(n: Int, k: Int, location: String, runs: Int) throws {
    let network = grid(n)
    let t0 = Date()
    try Stores.writing(to: location) { store in
        try store.transaction { _ = try store.replaceRoadNetwork(network, vintage: nil, report: "grille SYNTHETIQUE", importID: 0) }
    }
    let written = Date().timeIntervalSince(t0)
    let store = try Stores.open(location)
    let services = (0..<k).map { network.nodes[($0 * 7919) % (n * n)] }
    let places = (0..<1_000).map { network.nodes[($0 * 104_729 + 17) % (n * n)] }
    let routing = Routing(network: network)
    var times: [Double] = [], checksum = 0.0
    for _ in 0..<runs {
        let t1 = Date()
        let answers = try routing.nearest(from: places, to: services, by: .time, search: store.roadSearch)
        times.append(Date().timeIntervalSince(t1))
        checksum = answers.compactMap { $0?.cost }.reduce(0, +)
    }
    let median = times.sorted()[times.count / 2]
    print(#"{"edges":\#(network.edges.count),"services":\#(k),"write_s":\#(String(format: "%.3f", written)),"search_s":\#(String(format: "%.3f", median)),"runs":\#(times.map { String(format: "%.3f", $0) }),"checksum_minutes":\#(String(format: "%.3f", checksum))}"#)
}

func bench(n: Int, k: Int) throws {
    let t0 = Date()
    let network = grid(n)
    let nodes = network.nodes, edges = network.edges
    let built = Date().timeIntervalSince(t0)
    let services = (0..<k).map { nodes[($0 * 7919) % (n * n)] }
    let t1 = Date()
    let routing = Routing(network: network)
    let indexed = Date().timeIntervalSince(t1)
    // The places: 1,000 nodes spread over the grid; the search itself runs once from every service.
    let places = (0..<1_000).map { nodes[($0 * 104_729 + 17) % (n * n)] }
    let t2 = Date()
    let answers = try routing.nearest(from: places, to: services, by: .time)
    let searched = Date().timeIntervalSince(t2)
    let checksum = answers.compactMap { $0?.cost }.reduce(0, +)
    print(#"{"nodes":\#(nodes.count),"edges":\#(edges.count),"services":\#(k),"build_s":\#(String(format: "%.3f", built)),"index_s":\#(String(format: "%.3f", indexed)),"search_s":\#(String(format: "%.3f", searched)),"checksum_minutes":\#(String(format: "%.3f", checksum))}"#)
}

if args.count == 4, args[1] == "roads", let n = Int(args[2]), let k = Int(args[3]), n > 1, k > 0 {
    try bench(n: n, k: k)
} else if args.count == 6, args[1] == "roads-store", let n = Int(args[2]), let k = Int(args[3]), let r = Int(args[5]), n > 1, k > 0, r > 0 {
    try benchStore(n: n, k: k, location: args[4], runs: r)
} else if args.count == 4, args[1] == "nearest" {
    try nearest(places: args[2], services: args[3])
} else {
    usage()
}
