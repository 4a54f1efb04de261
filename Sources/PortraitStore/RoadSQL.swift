import Foundation
import PortraitGeometry
import PortraitModel

/// The road network's tables, one text for both backends: `road_networks` (the network's source, vintage and import
/// report), `road_nodes` and `road_edges` (pgRouting reads the latter as it is: `edge_id AS id, source, target`, the
/// minutes as `cost` and `reverse_cost`, -1 where a way cannot be driven).
enum RoadSQL {
    static let tables: [(name: String, description: String, columns: [(String, String, String)])] = [
        ("road_networks", "Portrait : réseau routier importé (source, millésime, rapport)", [
            ("source", "TEXT NOT NULL", "text NOT NULL"), ("vintage", "INTEGER", "bigint"), ("report", "TEXT", "text"),
            ("import_id", "INTEGER", "bigint"),
        ]),
        ("road_nodes", "Portrait : nœuds du réseau routier", [
            ("node_id", "INTEGER NOT NULL UNIQUE", "bigint NOT NULL UNIQUE"), ("lon", "REAL NOT NULL", "double precision NOT NULL"),
            ("lat", "REAL NOT NULL", "double precision NOT NULL"), ("import_id", "INTEGER", "bigint"),
        ]),
        ("road_edges", "Portrait : arcs du réseau routier (minutes dans chaque sens)", [
            ("edge_id", "INTEGER NOT NULL UNIQUE", "bigint NOT NULL UNIQUE"), ("source", "INTEGER NOT NULL", "bigint NOT NULL"),
            ("target", "INTEGER NOT NULL", "bigint NOT NULL"), ("length_m", "REAL NOT NULL", "double precision NOT NULL"),
            ("minutes_forward", "REAL", "double precision"), ("minutes_backward", "REAL", "double precision"),
            ("class", "TEXT", "text"), ("points", "BLOB", "bytea"), ("import_id", "INTEGER", "bigint"),
        ]),
    ]
    static var names: [String] { tables.map(\.name) }

    static func insert(_ table: String, _ d: SQLDialect) -> String {
        d.insert(into: table, columns: tables.first { $0.name == table }!.columns.map(\.0))
    }

    static let selectNetwork = "SELECT source, vintage, report FROM road_networks ORDER BY import_id DESC LIMIT 1"
    /// « SOURCE, millésime », as every page names the network it measured over.
    static func networkName(source: String, vintage: Int?) -> String { source + (vintage.map { ", \($0)" } ?? "") }
    static let selectNodes = "SELECT node_id, lon, lat FROM road_nodes ORDER BY node_id"
    static let selectEdges = "SELECT source, target, length_m, minutes_forward, minutes_backward, class, points FROM road_edges ORDER BY edge_id"

    static func nodeRow(_ i: Int, _ p: Position, importID: Int64) -> [SQLValue] { [.int(Int64(i)), .double(p.x), .double(p.y), .int(importID)] }

    static func edgeRow(_ i: Int, _ e: RoadNetwork.Edge, importID: Int64) -> [SQLValue] {
        [.int(Int64(i)), .int(Int64(e.from)), .int(Int64(e.to)), .double(e.lengthM), e.minutesForward.map(SQLValue.double) ?? .null,
         e.minutesBackward.map(SQLValue.double) ?? .null, .text(e.roadClass), .blob(pointsBlob(e.points)), .int(importID)]
    }

    static func edge(_ r: [SQLValue]) -> RoadNetwork.Edge {
        RoadNetwork.Edge(from: r[0].int ?? 0, to: r[1].int ?? 0, lengthM: r[2].double ?? 0, minutesForward: r[3].double,
                         minutesBackward: r[4].double, roadClass: r[5].text ?? "", points: points(r[6].blob ?? []))
    }

    /// An edge's line as little-endian doubles, longitude then latitude.
    static func pointsBlob(_ points: [Position]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(points.count * 16)
        for p in points {
            withUnsafeBytes(of: p.x.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: p.y.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    static func points(_ bytes: [UInt8]) -> [Position] {
        func double(_ at: Int) -> Double {
            var bits: UInt64 = 0
            for k in 0..<8 { bits |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
            return Double(bitPattern: bits)
        }
        return stride(from: 0, to: bytes.count - 15, by: 16).map { Position(double($0), double($0 + 8)) }
    }
}
