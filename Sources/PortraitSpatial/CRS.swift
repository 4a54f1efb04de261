/// A coordinate reference system, as any definition PROJ accepts
/// ("EPSG:32198", WKT, a PROJ string).
public struct CRS: Hashable, Sendable, CustomStringConvertible {
    public var definition: String
    public init(_ definition: String) { self.definition = definition }

    /// WGS84 longitude/latitude: the storage and GeoJSON CRS.
    public static let wgs84 = CRS("EPSG:4326")
    /// NAD83 / Québec Lambert: the CRS for areas, lengths and distances in metres.
    public static let quebecLambert = CRS("EPSG:32198")

    public var description: String {
        definition.count > 60 ? String(definition.prefix(57)) + "…" : definition
    }
}

import CPROJ

extension CRS {
    /// The CRS as OGC WKT 1 (`proj_as_wkt`, `PJ_WKT1_GDAL`), as GeoPackage's
    /// `gpkg_spatial_ref_sys.definition` expects.
    public func wkt1() throws -> String {
        let ctx = try localProjContext()
        defer { proj_context_destroy(ctx) }
        guard let pj = proj_create(ctx, definition) else {
            let e = proj_context_errno(ctx)
            throw SpatialLibraryError(library: "PROJ", function: "proj_create",
                                      message: proj_context_errno_string(ctx, e).map { String(cString: $0) } ?? "CRS inconnu : \(definition)")
        }
        defer { proj_destroy(pj) }
        guard let s = proj_as_wkt(ctx, pj, PJ_WKT1_GDAL, nil) else {
            throw SpatialLibraryError(library: "PROJ", function: "proj_as_wkt", message: "pas de WKT1 pour \(definition)")
        }
        return String(cString: s)
    }

    /// True when PROJ can build this CRS (`proj_create`).
    public var isKnownToPROJ: Bool {
        guard let ctx = try? localProjContext() else { return false }
        defer { proj_context_destroy(ctx) }
        guard let pj = proj_create(ctx, definition) else { return false }
        defer { proj_destroy(pj) }
        let t = proj_get_type(pj)
        return t != PJ_TYPE_UNKNOWN && t != PJ_TYPE_OTHER_COORDINATE_OPERATION && t != PJ_TYPE_CONVERSION && t != PJ_TYPE_TRANSFORMATION
    }
}
