import CSQLite
import PortraitGeometry

/// The SQL functions the GeoPackage R-tree triggers call (ST_IsEmpty,
/// ST_MinX, ST_MaxX, ST_MinY, ST_MaxY), registered on every connection
/// (`sqlite3_create_function_v2`) so that inserts keep the index current.
/// GDAL and QGIS register their own when they open the file.
enum GeoPackageFunctions {
    enum Kind: Int { case isEmpty, minX, maxX, minY, maxY }

    static func register(on db: OpaquePointer) {
        let names: [(String, Kind)] = [("ST_IsEmpty", .isEmpty), ("ST_MinX", .minX), ("ST_MaxX", .maxX),
                                       ("ST_MinY", .minY), ("ST_MaxY", .maxY)]
        for (name, kind) in names {
            sqlite3_create_function_v2(
                db, name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                UnsafeMutableRawPointer(bitPattern: kind.rawValue + 1),
                { ctx, argc, argv in
                    guard let ctx, argc == 1, let argv, let arg = argv[0] else { return }
                    let kind = Kind(rawValue: Int(bitPattern: sqlite3_user_data(ctx)) - 1)!
                    guard sqlite3_value_type(arg) == SQLITE_BLOB, let p = sqlite3_value_blob(arg) else {
                        sqlite3_result_null(ctx); return
                    }
                    let buf = UnsafeRawBufferPointer(start: p, count: Int(sqlite3_value_bytes(arg)))
                    guard let h = try? GeoPackageBinary.header(buf) else { sqlite3_result_null(ctx); return }
                    if kind == .isEmpty { sqlite3_result_int(ctx, h.isEmpty ? 1 : 0); return }
                    var box = h.envelope
                    if box == nil, !h.isEmpty,
                       let g = try? Geometry(wkb: UnsafeRawBufferPointer(rebasing: buf[h.wkbOffset...])) {
                        box = g.bbox
                    }
                    guard let b = box else { sqlite3_result_null(ctx); return }
                    let v: Double = switch kind {
                    case .minX: b.minX
                    case .maxX: b.maxX
                    case .minY: b.minY
                    case .maxY: b.maxY
                    case .isEmpty: 0
                    }
                    sqlite3_result_double(ctx, v)
                }, nil, nil, nil)
        }
    }
}
