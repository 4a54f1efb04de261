import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial

/// Options of a road network read from a file.
public struct RoadReadOptions: Sendable {
    /// Speeds by class; OpenStreetMap's by default.
    public var speeds: RoadSpeeds = .osm
    /// A line layer's field holding each road's speed (km/h); wins over the class.
    public var speedField: String?
    /// A line layer's field holding each road's class (looked up in `speeds`).
    public var classField: String?
    /// A line layer's field saying whether a road is one way (`yes`, `1`, `true`, `-1`, `no`…).
    public var onewayField: String?
    /// Lines whose ends lie closer than this are joined (a line layer's roads rarely end on the same coordinate).
    /// OpenStreetMap's ways share their nodes exactly and are never snapped.
    public var snapMetres: Double = 1
    /// Service roads (parking aisles, driveways): left out of a driving network, as OSMnx and pyrosm do.
    public var serviceRoads = false
    public var layer: String?

    public init() {}
}

/// What a road file held and what was kept.
public struct RoadReadReport: Sendable, Codable, Hashable {
    public var linesRead = 0
    public var linesKept = 0
    /// Lines left out: not a road a car drives (footways, paths…), closed to cars, under construction.
    public var linesLeftOut = 0
    public var ferries = 0
    /// Lines whose own speed was missing or unreadable: they take their class's speed. Their rows (one-based), the first ones.
    public var withoutSpeed = 0
    public var withoutSpeedRows: [Int] = []
    public var nodes = 0
    public var edges = 0
    public var components = 0
    /// Share of the network's length outside its largest connected component (0…1).
    public var lengthOutsideLargest = 0.0
    public var lengthKm = 0.0
}

/// A road file (OpenStreetMap PBF or XML through GDAL's OSM driver, or any line layer) read into a `RoadNetwork`.
public enum RoadReader {
    /// OpenStreetMap's `highway` values a car cannot use, or that are not a road yet or any more (pyrosm's and OSMnx's
    /// driving filter).
    static let notDriven: Set<String> = [
        "abandoned", "construction", "no", "planned", "platform", "proposed", "raceway", "razed", "rest_area", "services",
        "bridleway", "bus_guideway", "busway", "corridor", "cycleway", "elevator", "escalator", "footway", "ladder", "path",
        "pedestrian", "steps", "track", "trail",
    ]

    static func isOSM(_ path: String) -> Bool {
        let p = path.lowercased()
        return p.hasSuffix(".osm.pbf") || p.hasSuffix(".pbf") || p.hasSuffix(".osm")
    }

    /// One road of the file, before the graph.
    struct Line {
        var row: Int
        var points: [Position]
        var roadClass: String
        var kmh: Double?
        /// 1: drawn direction only, -1: against it only, 0: both.
        var oneway: Int
        var ferryMinutes: Double?
        var isFerry: Bool
    }

    public static func read(file: String, options o: RoadReadOptions = RoadReadOptions()) throws -> (RoadNetwork, RoadReadReport) {
        var report = RoadReadReport()
        let osm = isOSM(file)
        if osm, let given = [("speed-field", o.speedField), ("class-field", o.classField), ("oneway-field", o.onewayField)].first(where: { $0.1 != nil }) {
            throw ImportError(.unknownField, file: file, "--\(given.0) ne s'applique pas à un extrait OpenStreetMap : ses voies donnent leur classe (highway), leur maxspeed et leur oneway")
        }
        let layer: SourceLayer
        do {
            layer = try VectorSource.read(path: file, layer: osm ? "lines" : o.layer, drivers: osm ? DriverSet(["OSM"]) : .geographic)
        } catch let e as SourceError {
            switch e {
            case .fileNotFound: throw ImportError(.fileNotFound, file: file, "fichier introuvable")
            case .notAGeoFile(_, let m): throw ImportError(.notAGeoFile, file: file, "ce n'est pas un réseau routier lisible (GDAL : \(m))")
            case .layerNotFound(_, let l, let a): throw ImportError(.unknownField, file: file, "couche « \(l) » introuvable ; couches présentes : \(a.joined(separator: ", "))")
            default: throw ImportError(.notAGeoFile, file: file, e.message)
            }
        }
        if !osm {
            for (option, field) in [("speed-field", o.speedField), ("class-field", o.classField), ("oneway-field", o.onewayField)] {
                if let field, !layer.fields.contains(field) {
                    throw ImportError(.unknownField, file: file, "champ « \(field) » (--\(option)) introuvable ; champs présents : \(layer.fields.joined(separator: ", "))")
                }
            }
        }
        var lines: [Line] = []
        for f in layer.features {
            report.linesRead += 1
            let parts: [[Position]]
            switch f.geometry {
            case .lineString(let l)?: parts = [l.positions]
            case .multiLineString(let m)?: parts = m.lineStrings.map(\.positions)
            default: report.linesLeftOut += 1; continue
            }
            guard var line = osm ? osmLine(f, options: o) : layerLine(f, options: o, report: &report) else { report.linesLeftOut += 1; continue }
            report.linesKept += 1
            if line.isFerry { report.ferries += 1 }
            for p in parts where p.count > 1 {
                line.points = p
                lines.append(line)
            }
        }
        guard !lines.isEmpty else {
            throw ImportError(.emptyLayer, file: file, "aucune route praticable en voiture (\(report.linesRead) lignes lues, toutes laissées de côté)")
        }
        let network = build(lines, speeds: o.speeds, snapMetres: osm ? 0 : o.snapMetres, source: (file as NSString).lastPathComponent, report: &report)
        return (network, report)
    }

    /// An OpenStreetMap way as a car sees it, or nil when a car cannot use it.
    static func osmLine(_ f: SourceFeature, options o: RoadReadOptions) -> Line? {
        let tags = hstore(f.attributes["other_tags"]?.text ?? "")
        let highway = f.attributes["highway"]?.text ?? tags["highway"]
        let ferry = tags["route"] == "ferry"
        guard highway != nil || ferry else { return nil }
        if tags["area"] == "yes" { return nil }
        // The most specific access tag a way carries decides (motorcar, then motor_vehicle, vehicle, access).
        for key in ["motorcar", "motor_vehicle", "vehicle", "access"] {
            if let v = tags[key] {
                if v.split(separator: ";").contains(where: { $0 == "no" || $0 == "private" }) { return nil }
                break
            }
        }
        var roadClass = ferry ? "ferry" : highway!
        if !ferry {
            if notDriven.contains(roadClass) { return nil }
            if roadClass == "service" {
                guard o.serviceRoads else { return nil }
                if let s = tags["service"], ["emergency_access", "parking", "parking_aisle", "private"].contains(s) { return nil }
            }
        } else if let h = highway, !notDriven.contains(h) {
            roadClass = "ferry"
        }
        var oneway = 0
        switch tags["oneway"] {
        case "yes", "true", "1": oneway = 1
        case "-1", "reverse": oneway = -1
        default: if tags["junction"] == "roundabout" || tags["junction"] == "circular" { oneway = 1 }
        }
        return Line(row: f.index + 1, points: [], roadClass: roadClass, kmh: tags["maxspeed"].flatMap(speed),
                    oneway: oneway, ferryMinutes: ferry ? tags["duration"].flatMap(minutes) : nil, isFerry: ferry)
    }

    /// A line layer's road: its class, its own speed, its direction.
    static func layerLine(_ f: SourceFeature, options o: RoadReadOptions, report: inout RoadReadReport) -> Line? {
        let roadClass = o.classField.flatMap { f.attributes[$0]?.text } ?? ""
        var kmh: Double?
        if let field = o.speedField {
            switch f.attributes[field] {
            case .int(let i)?: kmh = Double(i)
            case .double(let d)?: kmh = d
            case .string(let t)?: kmh = speed(t)
            default: kmh = nil
            }
            if kmh == nil || kmh! <= 0 {
                kmh = nil
                report.withoutSpeed += 1
                if report.withoutSpeedRows.count < 20 { report.withoutSpeedRows.append(f.index + 1) }
            }
        }
        var oneway = 0
        if let field = o.onewayField, let v = f.attributes[field]?.text?.lowercased() {
            if ["yes", "oui", "true", "1", "ft", "f"].contains(v) { oneway = 1 } else if ["-1", "tf", "t", "reverse"].contains(v) { oneway = -1 }
        }
        let ferry = roadClass.lowercased().contains("traversier") || roadClass.lowercased() == "ferry"
        return Line(row: f.index + 1, points: [], roadClass: ferry ? "ferry" : roadClass, kmh: kmh, oneway: oneway, ferryMinutes: nil, isFerry: ferry)
    }

    /// OSM's `other_tags` as GDAL writes them: `"key"=>"value","key"=>"value"`.
    static func hstore(_ s: String) -> [String: String] {
        var out: [String: String] = [:]
        var fields: [String] = [], cur = "", quoted = false, escaped = false
        for c in s {
            if escaped { cur.append(c); escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "\"" { quoted.toggle(); if !quoted { fields.append(cur); cur = "" }; continue }
            if quoted { cur.append(c) }
        }
        var i = 0
        while i + 1 < fields.count { out[fields[i]] = fields[i + 1]; i += 2 }
        return out
    }

    /// A speed as OSM writes it: `50`, `50 km/h`, `30 mph`; nil for anything else (`FI:urban`, `none`, `signals`).
    static func speed(_ s: String) -> Double? {
        let t = s.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = t.prefix { $0.isNumber || $0 == "." }
        guard let v = Double(digits), v > 0 else { return nil }
        let rest = t.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        if rest == "mph" { return v * 1.609344 }
        return rest.isEmpty || rest == "km/h" || rest == "kmh" ? v : nil
    }

    /// A ferry's `duration`: `HH:MM`, `HH:MM:SS` or minutes.
    static func minutes(_ s: String) -> Double? {
        let parts = s.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        let p = parts.map { $0! }
        switch p.count {
        case 1: return p[0]
        case 2: return p[0] * 60 + p[1]
        case 3: return p[0] * 60 + p[1] + p[2] / 60
        default: return nil
        }
    }

    /// The graph: a node where a line ends or where two lines share a vertex (OSM's shared nodes; a line layer's ends
    /// within `snapMetres`), an edge between consecutive nodes of a line.
    static func build(_ lines: [Line], speeds: RoadSpeeds, snapMetres: Double, source: String, report: inout RoadReadReport) -> RoadNetwork {
        struct Key: Hashable { var x: UInt64; var y: UInt64 }
        func key(_ p: Position) -> Key { Key(x: p.x.bitPattern, y: p.y.bitPattern) }
        // Line ends of a layer without shared nodes: snapped to the first end within the tolerance (a grid of cells
        // the tolerance wide, the neighbouring cells searched).
        var snapped: [Key: Position] = [:]
        if snapMetres > 0 {
            let cellDeg = snapMetres / 111_000
            var grid: [Key: [Position]] = [:]
            func cell(_ p: Position, _ dx: Int = 0, _ dy: Int = 0) -> Key {
                Key(x: UInt64(bitPattern: Int64((p.x / cellDeg).rounded(.down)) + Int64(dx)), y: UInt64(bitPattern: Int64((p.y / cellDeg).rounded(.down)) + Int64(dy)))
            }
            for l in lines {
                for p in [l.points.first!, l.points.last!] where snapped[key(p)] == nil {
                    var found: Position?
                    search: for dx in -1...1 { for dy in -1...1 {
                        for q in grid[cell(p, dx, dy)] ?? [] where Geodesic.distance(p, q) <= snapMetres { found = q; break search }
                    } }
                    if let found { snapped[key(p)] = found } else { grid[cell(p), default: []].append(p); snapped[key(p)] = p }
                }
            }
        }
        func place(_ p: Position) -> Position { snapped[key(p)] ?? p }
        // How many times each vertex is used, and which are line ends.
        var uses: [Key: Int] = [:]
        var ends: Set<Key> = []
        for l in lines {
            for (i, p) in l.points.enumerated() {
                let k = key(i == 0 || i == l.points.count - 1 ? place(p) : p)
                uses[k, default: 0] += 1
                if i == 0 || i == l.points.count - 1 { ends.insert(k) }
            }
        }
        var index: [Key: Int] = [:]
        var nodes: [Position] = []
        func node(_ p: Position) -> Int {
            let k = key(p)
            if let i = index[k] { return i }
            index[k] = nodes.count
            nodes.append(p)
            return nodes.count - 1
        }
        var edges: [RoadNetwork.Edge] = []
        for l in lines {
            var pts = l.points
            pts[0] = place(pts[0]); pts[pts.count - 1] = place(pts[pts.count - 1])
            var start = 0
            for i in 1..<pts.count {
                let k = key(pts[i])
                guard i == pts.count - 1 || ends.contains(k) || (uses[k] ?? 0) > 1 else { continue }
                let piece = Array(pts[start...i])
                let length = Geodesic.length(piece)
                if length > 0 || node(piece.first!) != node(piece.last!) {
                    let whole = Geodesic.length(l.points)
                    let forward: Double
                    if l.isFerry {
                        // A crossing: its duration (shared along its pieces by length) or the ferry speed, plus the wait once.
                        let crossing = l.ferryMinutes.map { whole > 0 ? $0 * length / whole : $0 } ?? length / 1000 / speeds.ferryKmh * 60
                        forward = crossing + (start == 0 ? speeds.ferryWaitMinutes : 0)
                    } else {
                        forward = length / 1000 / (l.kmh ?? speeds.kmh(l.roadClass)) * 60
                    }
                    edges.append(.init(from: node(piece.first!), to: node(piece.last!), lengthM: length,
                                       minutesForward: l.oneway >= 0 ? forward : nil, minutesBackward: l.oneway <= 0 ? forward : nil,
                                       roadClass: l.roadClass, points: piece))
                }
                start = i
            }
        }
        // Connected components (the edges taken both ways), and the length outside the largest.
        var parent = Array(0..<nodes.count)
        func find(_ i: Int) -> Int { var i = i; while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }; return i }
        for e in edges { let a = find(e.from), b = find(e.to); if a != b { parent[a] = b } }
        var lengthByRoot: [Int: Double] = [:]
        for e in edges { lengthByRoot[find(e.from), default: 0] += e.lengthM }
        let total = edges.reduce(0) { $0 + $1.lengthM }
        report.nodes = nodes.count
        report.edges = edges.count
        report.components = Set((0..<nodes.count).map(find)).count
        report.lengthKm = total / 1000
        report.lengthOutsideLargest = total > 0 ? 1 - (lengthByRoot.values.max() ?? 0) / total : 0
        return RoadNetwork(nodes: nodes, edges: edges, source: source)
    }
}
