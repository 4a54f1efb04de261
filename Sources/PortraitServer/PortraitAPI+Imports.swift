import Foundation
import Hummingbird
import PortraitImport
import PortraitModel
import PortraitRender
import PortraitStore

extension PortraitAPI {
    /// `POST /imports/{kind}`: the request body is the file, the query holds the CLI's options under their long
    /// names (`?level=municipality&preset=sda`). 401 without a valid bearer token, 413 over the size limit, 400 for
    /// a bad file or option (nothing written), 200 with the importer's JSON report (join report included).
    /// The imports log records the token's label and the client (`X-Forwarded-For` behind a proxy) as `writer`, and
    /// the upload's name (not the server's temporary copy) as the source file.
    func importFile(kind: String, request: Request) async throws -> Response {
        guard let (label, scope) = options.writeTokens.token(authorization: request.headers[.authorization]) else {
            throw APIError.unauthorized("jeton manquant ou invalide : en-tête Authorization: Bearer JETON (PORTRAIT_TOKEN du service)")
        }
        let limit = options.uploadLimitBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError.tooLarge("fichier de \(length) octets : la limite est \(limit) octets (PORTRAIT_UPLOAD_MB)")
        }
        let params = request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
        let filename = params.first { $0.name == "filename" }?.value
        let importRequest = try ImportRequest(kind: kind, parameters: params.filter { $0.name != "filename" })
        // The token's scope, before a byte of the body is read: a kind it does not cover is a 403 naming its scope.
        if let kinds = scope.kinds, !kinds.contains(importRequest.kind) {
            throw APIError(.forbidden, "le jeton « \(label) » ne permet pas d'importer \(importRequest.kind.rawValue) (portée : \(scope)) : rien n'est importé")
        }
        let measurementScope = MeasurementImporter.Scope(plan: scope.plan, territory: scope.territory)
        // A slot first (before a byte of the body is read): waiting uploads hold neither memory nor disk.
        guard await uploads.acquire(waiting: options.uploadWaitSeconds) else {
            throw APIError.busy("le service importe déjà \(options.uploadSlots) fichier(s) (PORTRAIT_UPLOADS) : réessayez dans quelques secondes",
                                retryAfter: 5)
        }
        defer { Task { await uploads.release() } }
        let name = Self.uploadName(filename: filename, contentType: request.headers[.contentType], kind: importRequest.kind)
        let writer = "http:\(label)" + (request.headers[.init("x-forwarded-for")!].map { " via \($0)" } ?? "")
        let storePath = options.storePath
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("portrait-upload-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/" + name
        // The body goes to disk as it arrives (one buffer in memory at a time), counted against the limit.
        guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path) else {
            throw APIError(.unavailable, "le fichier reçu n'a pu être enregistré sur le serveur (voir le journal du service)")
        }
        var received = 0
        do {
            defer { try? out.close() }
            for try await buffer in request.body {
                received += buffer.readableBytes
                guard received <= limit else {
                    throw APIError.tooLarge("fichier de plus de \(limit) octets : la limite est \(limit) octets (PORTRAIT_UPLOAD_MB)")
                }
                do { try buffer.withUnsafeReadableBytes { try out.write(contentsOf: $0) } } catch {
                    throw APIError(.unavailable, "le fichier reçu n'a pu être enregistré en entier sur le serveur (voir le journal du service)")
                }
            }
        }
        guard received > 0 else { throw APIError.badRequest("corps vide : envoyez le fichier à importer dans le corps de la requête") }
        // The importers record the upload's name (`ImportWriter.sourceFile`), never the server's temporary copy.
        let report: Data
        do {
            report = try await offload { () throws -> Data in
                try ImportWriter.with(writer, source: "téléversé : " + name) { try importRequest.run(file: path, storePath: storePath, scope: measurementScope) }
            }
        } catch {
            // The answer names the upload as its sender named it, never the server's temporary copy.
            var e = APIError.from(error)
            e.message = e.message.replacingOccurrences(of: path, with: name).replacingOccurrences(of: dir + "/", with: "").replacingOccurrences(of: dir, with: "")
            throw e
        }
        return Response(status: .ok, headers: [.contentType: Self.jsonType], body: .init(byteBuffer: ByteBuffer(data: report)))
    }

    /// The name the uploaded file is saved under: `filename` (its last component, plain characters), else one
    /// made from the content type, so that the importers (and GDAL) recognise its format by extension.
    static func uploadName(filename: String?, contentType: String?, kind: ImportRequest.Kind) -> String {
        if let f = filename {
            let last = (f as NSString).lastPathComponent
            var clean = String(last.unicodeScalars.map { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) ? Character($0) : "_" })
            // A long name is shortened, its extension kept (a file system takes 255 bytes at most; the log keeps 100).
            if clean.count > 100, let dot = clean.lastIndex(of: "."), clean.distance(from: dot, to: clean.endIndex) <= 12 {
                clean = String(clean.prefix(100 - clean.distance(from: dot, to: clean.endIndex))) + String(clean[dot...])
            } else if clean.count > 100 {
                clean = String(clean.prefix(100))
            }
            if !clean.isEmpty, clean.contains("."), !clean.hasPrefix(".") { return clean }
        }
        let type = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let ext = switch type {
        case "text/csv": "csv"
        case "application/geopackage+sqlite3": "gpkg"
        case "application/zip": "zip"
        case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx"
        case "application/geo+json", "application/json": "geojson"
        default: kind == .indicators || kind == .mobilisations || kind == .territories || kind == .plan || kind == .measurements ? "csv" : "geojson"
        }
        return "televersement.\(ext)"
    }
}

/// A counting semaphore for uploads: `acquire` waits its turn (first come, first served) up to a time limit.
actor UploadGate {
    private var free: Int
    private var waiting: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
    private var next: UInt64 = 0

    init(slots: Int) { free = max(1, slots) }

    /// True with a slot taken (give it back with `release`); false when none came free within `seconds`.
    func acquire(waiting seconds: Double) async -> Bool {
        if free > 0 { free -= 1; return true }
        guard seconds > 0 else { return false }
        next += 1
        let id = next
        return await withCheckedContinuation { c in
            waiting.append((id, c))
            Task { [weak self] in
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                await self?.timeOut(id)
            }
        }
    }

    private func timeOut(_ id: UInt64) {
        guard let i = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: i).continuation.resume(returning: false)
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().continuation.resume(returning: true) }
    }
}
