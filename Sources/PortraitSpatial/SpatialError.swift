/// A failure inside GEOS or PROJ, carrying the library's own message.
public struct SpatialLibraryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The C library: "GEOS" or "PROJ".
    public var library: String
    /// The C function that failed, e.g. `GEOSUnaryUnion_r`.
    public var function: String
    /// The library's message (or a short note when it gave none).
    public var message: String

    public init(library: String, function: String, message: String) {
        self.library = library; self.function = function; self.message = message
    }

    public var description: String { "\(library) (\(function)) : \(message)" }
}
