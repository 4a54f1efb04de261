import CGEOS
import PortraitGeometry

/// Owns one GEOS context handle (`GEOS_init_r`), with its WKB reader and writer.
/// Never shared: create one per task or per synchronous operation; it is not Sendable.
final class GEOSContext {
    let handle: GEOSContextHandle_t
    private let errors: ErrorBox
    private let reader: OpaquePointer
    private let writer: OpaquePointer

    final class ErrorBox { var last: String? }

    init() {
        guard let h = GEOS_init_r() else { fatalError("GEOS_init_r returned NULL (out of memory)") }
        handle = h
        errors = ErrorBox()
        let userdata = Unmanaged.passUnretained(errors).toOpaque()
        GEOSContext_setErrorMessageHandler_r(h, { message, userdata in
            guard let userdata, let message else { return }
            Unmanaged<GEOSContext.ErrorBox>.fromOpaque(userdata).takeUnretainedValue().last = String(cString: message)
        }, userdata)
        reader = GEOSWKBReader_create_r(h)
        writer = GEOSWKBWriter_create_r(h)
        GEOSWKBWriter_setOutputDimension_r(h, writer, 2)
        GEOSWKBWriter_setByteOrder_r(h, writer, 1)
    }

    deinit {
        GEOSWKBReader_destroy_r(handle, reader)
        GEOSWKBWriter_destroy_r(handle, writer)
        GEOS_finish_r(handle)
    }

    func failure(_ function: String) -> SpatialLibraryError {
        let message = errors.last ?? "échec sans message"
        errors.last = nil
        return SpatialLibraryError(library: "GEOS", function: function, message: message)
    }

    /// Converts a value geometry to a GEOS geometry (through WKB, `GEOSWKBReader_read_r`).
    func make(_ geometry: Geometry) throws(SpatialLibraryError) -> GEOSHandle {
        let wkb = geometry.wkb
        let ptr = wkb.withUnsafeBufferPointer { GEOSWKBReader_read_r(handle, reader, $0.baseAddress, $0.count) }
        guard let ptr else { throw failure("GEOSWKBReader_read_r") }
        return GEOSHandle(self, ptr)
    }

    /// Converts back to a value geometry (`GEOSWKBWriter_write_r`).
    func value(_ g: GEOSHandle) throws -> Geometry {
        try value(g.ptr)
    }

    func value(_ ptr: OpaquePointer) throws -> Geometry {
        var size = 0
        guard let buf = GEOSWKBWriter_write_r(handle, writer, ptr, &size) else {
            throw failure("GEOSWKBWriter_write_r")
        }
        defer { GEOSFree_r(handle, buf) }
        return try Geometry(wkb: UnsafeBufferPointer(start: buf, count: size))
    }

    /// Wraps a result pointer, throwing the GEOS message when it is NULL.
    func wrap(_ ptr: OpaquePointer?, _ function: String) throws(SpatialLibraryError) -> GEOSHandle {
        guard let ptr else { throw failure(function) }
        return GEOSHandle(self, ptr)
    }

    /// Checks a GEOS predicate result (0, 1, or 2 for an exception).
    func predicate(_ r: CChar, _ function: String) throws(SpatialLibraryError) -> Bool {
        if r == 2 { throw failure(function) }
        return r == 1
    }
}

/// Owns one GEOS geometry and destroys it (`GEOSGeom_destroy_r`) with the context it came from.
final class GEOSHandle {
    let context: GEOSContext
    let ptr: OpaquePointer
    private var owned = true

    init(_ context: GEOSContext, _ ptr: OpaquePointer) { self.context = context; self.ptr = ptr }

    /// Hands ownership to GEOS (e.g. into a collection); this object will not free it.
    func release() -> OpaquePointer { owned = false; return ptr }

    deinit { if owned { GEOSGeom_destroy_r(context.handle, ptr) } }
}
