import Foundation
import Hummingbird
import PortraitRender

extension PortraitAPI {
    /// Files the viewer may ask for, by name: nothing else is ever read.
    static let webFiles: [String: String] = ["index.html": "text/html; charset=utf-8", "viewer.js": "text/javascript; charset=utf-8",
                                             "viewer.css": "text/css; charset=utf-8"]
    static let leafletFiles: [String: String] = [
        "leaflet.js": "text/javascript; charset=utf-8", "leaflet.css": "text/css; charset=utf-8",
        "images/marker-icon.png": "image/png", "images/marker-icon-2x.png": "image/png", "images/marker-shadow.png": "image/png",
        "images/layers.png": "image/png", "images/layers-2x.png": "image/png",
    ]

    /// `/`, `/web/{file}`: the viewer, from the `web/` folder.
    func web(_ name: String) async throws -> Response {
        guard let type = Self.webFiles[name] else { throw APIError.notFound("fichier « \(name) » inconnu") }
        return try await file((options.webDirectory as NSString).appendingPathComponent(name), type: type)
    }

    /// `/styles/{name}.json`: a map style of the catalogue (the viewer draws services with its symbols). Names, never paths.
    func style(_ file: String) async throws -> Response {
        let names = StyleCatalogue.names(in: options.stylesDirectory)
        guard file.hasSuffix(".json"), names.contains(String(file.dropLast(5))) else {
            throw APIError.notFound("style « \(file) » inconnu ; styles : \(names.map { $0 + ".json" }.joined(separator: ", "))")
        }
        return try await self.file((options.stylesDirectory as NSString).appendingPathComponent(file), type: "application/json; charset=utf-8")
    }

    /// `/vendor/leaflet/…`: Leaflet from Debian's libjs-leaflet, served from its local path.
    func leaflet(_ name: String) async throws -> Response {
        guard let type = Self.leafletFiles[name] else { throw APIError.notFound("fichier Leaflet « \(name) » inconnu") }
        return try await file((options.leafletDirectory as NSString).appendingPathComponent(name), type: type)
    }

    private func file(_ path: String, type: String) async throws -> Response {
        let data = try await offload { () -> Data in
            guard let d = FileManager.default.contents(atPath: path) else {
                throw APIError.notFound("\((path as NSString).lastPathComponent) absent (paquet libjs-leaflet pour Leaflet)")
            }
            return d
        }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"],
                        body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
