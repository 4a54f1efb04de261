import Foundation
import Hummingbird
import PortraitModel
import PortraitStore

extension PortraitAPI {
    /// The answer to `request` for the store's current state: `304 Not Modified` when the client holds it
    /// (`If-None-Match` with this state's ETag), from memory when computed before, else computed off the
    /// event loop by `compute` (once, however many requests ask for it meanwhile) and kept. The ETag names
    /// the store stamp and the request, so a revalidation costs one header read and no computation.
    /// Errors are never cached.
    func cached(_ request: Request, key extra: String = "", contentType: String, headers more: HTTPFields = [:],
                _ compute: @escaping @Sendable () throws -> ByteBuffer) async throws -> Response {
        let stamp = try Stores.changeStamp(options.storePath)
        let key = Self.key(request) + extra
        let etag = "\"" + Self.hash(stamp + "|" + key + "|" + instance) + "\""
        var headers: HTTPFields = [.eTag: etag, .cacheControl: "no-cache"]
        if let inm = request.headers[.ifNoneMatch], inm.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0 == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = contentType
        headers.append(contentsOf: more)
        let (body, outcome) = try await cache.answer(key, stamp: stamp, contentType: contentType) { [self] in
            try await offload(compute)
        }
        headers[.init("x-portrait-cache")!] = outcome.rawValue
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    /// The path and the query parameters, sorted (the same question asked in another order is the same answer).
    static func key(_ request: Request) -> String {
        let q = request.uri.queryParameters.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "&")
        return request.uri.path + "?" + q
    }

    /// FNV-1a, 64 bits, in hex: short and stable across runs (`Hasher` is seeded per process).
    static func hash(_ s: String) -> String { String(StableHash.fnv1a(s), radix: 16) }
}
