import Foundation
import Hummingbird
import PortraitGeometry
import PortraitModel
import PortraitStore
import PortraitTiles

extension PortraitAPI {
    /// `/tiles/{layer}/{z}/{x}/{y}.mvt`: from the MBTiles cache, generated on a miss.
    func tile(layer raw: String, z: String, x: String, file: String, request: Request) async throws -> Response {
        if let path = options.mbtiles[raw] { return try await external(path, z: z, x: x, file: file) }
        guard let layer = TileLayer(rawValue: raw) else {
            throw APIError.notFound("couche de tuiles « \(raw) » inconnue ; couches : \(TileLayer.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard file.hasSuffix(".mvt"), let zi = Int(z), let xi = Int(x), let yi = Int(file.dropLast(4)),
              let id = TileID(z: zi, x: xi, y: yi) else {
            throw APIError.badRequest("tuile \(z)/\(x)/\(file) : z de 0 à 22, x et y de 0 à 2^z − 1, suffixe .mvt")
        }
        let o = options
        return try await cached(request, contentType: "application/vnd.mapbox-vector-tile") {
            let (data, _) = try TileCache(directory: o.tilesDirectory, storePath: o.storePath).tile(layer, id)
            var buffer = ByteBuffer()
            buffer.writeBytes(data)
            return buffer
        }
    }

    /// A tile of an external MBTiles, bytes as stored (gzip announced as such); 204 where the file has none.
    func external(_ path: String, z: String, x: String, file: String) async throws -> Response {
        guard file.hasSuffix(".mvt") || file.hasSuffix(".pbf"), let zi = Int(z), let xi = Int(x), let yi = Int(file.dropLast(4)),
              let id = TileID(z: zi, x: xi, y: yi) else {
            throw APIError.badRequest("tuile \(z)/\(x)/\(file) : z de 0 à 22, x et y de 0 à 2^z − 1, suffixe .mvt")
        }
        let data = try await offload { try MBTilesSource(path: path).tile(id) }
        guard let data else { return Response(status: .noContent) }
        var buffer = ByteBuffer()
        buffer.writeBytes(data)
        var headers: HTTPFields = [.contentType: "application/vnd.mapbox-vector-tile"]
        if MBTilesSource.isGzip(data) { headers[.contentEncoding] = "gzip" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: buffer))
    }

    /// `/tiles/{layer}.json`: TileJSON 3.0.
    func tileJSON(file: String, request: Request) async throws -> Response {
        guard file.hasSuffix(".json"), let layer = TileLayer(rawValue: String(file.dropLast(5))) else {
            throw APIError.notFound("TileJSON « \(file) » inconnu ; couches : \(TileLayer.allCases.map { "\($0.rawValue).json" }.joined(separator: ", "))")
        }
        let o = options
        let host = request.head.authority ?? "\(o.host):\(o.port)"
        // The tile URLs name the host asked: part of the key.
        return try await cached(request, key: "@" + host, contentType: "application/json") { [self] in
            let b = try store().extent(layer.extentLayer)
            let bounds: [Double] = b.map { [$0.minX, $0.minY, $0.maxX, $0.maxY] } ?? [-180, -85.0511, 180, 85.0511]
            let doc = TileJSON(name: "Portrait \(layer.rawValue)", bounds: bounds,
                               tiles: ["http://\(host)/tiles/\(layer.rawValue)/{z}/{x}/{y}.mvt"],
                               vectorLayers: [.init(id: layer.rawValue, fields: layer.fields)])
            return ByteBuffer(data: try JSONEncoder.stable.encode(doc))
        }
    }
}
