import Foundation
import Hummingbird
import PortraitRender
import PortraitTerritory

/// An error answered as JSON: `{"error": code, "message": …, "status": n}`.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status; self.code = code; self.message = message
    }

    public static func notFound(_ message: String) -> APIError { .init(.notFound, "introuvable", message) }
    public static func badRequest(_ message: String) -> APIError { .init(.badRequest, "requete_invalide", message) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder.api.encode(["error": code, "message": message, "status": String(status.code)])
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(data: body)))
    }

    /// The library's errors as HTTP: unknown things 404, bad input 400, the rest 500.
    static func from(_ error: any Error) -> any Error {
        switch error {
        case let e as APIError: return e
        case let e as ImportError:
            switch e.kind {
            case .noBoundaries, .noCoastline: return APIError(.notFound, "donnees_absentes", e.problem)
            case .missingValue where e.problem.contains("inconnu") || e.problem.contains("aucune municipalité"):
                return APIError.notFound(e.problem)
            default: return APIError.badRequest(e.problem)
            }
        case let e as StyleError:
            return e.message.contains("inconnu") || e.message.contains("absent") ? APIError.notFound(e.message) : APIError.badRequest(e.message)
        default: return error
        }
    }
}

extension JSONEncoder {
    /// Sorted keys, no escaped slashes: stable JSON.
    static var api: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}

extension ByteBuffer {
    init(data: Data) {
        self.init()
        writeBytes(data)
    }
}
