import Foundation
import Hummingbird
import PortraitImport
import PortraitModel
import PortraitReport
import PortraitStore

/// An error answered as JSON: `{"error": kind, "message": …, "status": n}`.
/// Its status comes from its kind, mapped in one place (`status(for:)`).
public struct APIError: HTTPResponseError, PortraitError, Sendable {
    public var kind: ErrorKind
    public var message: String
    /// The status of the request's own faults that HTTP names more precisely than 400 (401, 413).
    var specific: HTTPResponse.Status?
    public var status: HTTPResponse.Status { specific ?? Self.status(for: kind) }

    public init(_ kind: ErrorKind, _ message: String) {
        self.kind = kind; self.message = message
    }

    public var description: String { message }

    public static func notFound(_ message: String) -> APIError { .init(.notFound, message) }
    public static func badRequest(_ message: String) -> APIError { .init(.invalidInput, message) }
    /// No valid bearer token on the write route: invalid input, answered 401 with `WWW-Authenticate: Bearer`.
    public static func unauthorized(_ message: String) -> APIError {
        var e = APIError(.invalidInput, message); e.specific = .unauthorized; return e
    }
    /// Seconds after which the client may try again (`Retry-After`), for a service busy with other uploads.
    var retryAfter: Int?
    /// Every upload slot taken (`PORTRAIT_UPLOADS`): unavailable for now, answered 503 with `Retry-After`.
    public static func busy(_ message: String, retryAfter: Int) -> APIError {
        var e = APIError(.unavailable, message); e.retryAfter = retryAfter; return e
    }
    /// A body over the upload limit: invalid input, answered 413.
    public static func tooLarge(_ message: String) -> APIError {
        var e = APIError(.invalidInput, message); e.specific = .contentTooLarge; return e
    }

    /// The one map from error kinds to HTTP statuses.
    public static func status(for kind: ErrorKind) -> HTTPResponse.Status {
        switch kind {
        case .notFound: .notFound
        case .invalidInput: .badRequest
        case .forbidden: .forbidden
        case .unavailable: .serviceUnavailable
        case .internal: .internalServerError
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder.stable.encode(["error": kind.rawValue, "message": Self.withoutPaths(message), "status": String(status.code)])
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .init("x-content-type-options")!: "nosniff"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"portrait\"" }
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: body)))
    }

    /// `message` with every absolute path of the server (a temporary copy, the store's folder, a style file) cut to its
    /// last component: an answer names nothing of the server's disk. URLs (`scheme://…`) are kept.
    static func withoutPaths(_ message: String) -> String {
        message.replacing(#/(^|[\s«"'(\[])\/(?:[^\s\/«»"'`()\[\],;]+\/)+([^\s\/«»"'`()\[\],;]*)/#) { String($0.output.1) + String($0.output.2) }
    }

    /// Any error as HTTP, by its kind. Messages never carry server paths; internal failures say no more than that.
    static func from(_ error: any Error) -> APIError {
        if let e = error as? APIError { return e }
        if let e = error as? PDFPrinter.Failure, let after = e.retryAfter { return .busy(e.message, retryAfter: after) }
        let kind = ErrorKind.of(error)
        let message: String = switch error {
        case let e as ImportError: e.problem
        case let e as StoreError where e.function == "open": e.message
        case let e as StoreError: "magasin : \(e.message)"
        case _ where kind == .internal: "erreur interne (voir le journal du service)"
        default: String(describing: error)
        }
        return APIError(kind, message)
    }
}

extension ByteBuffer {
    init(data: Data) {
        self.init()
        writeBytes(data)
    }
}
