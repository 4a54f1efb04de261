import CPROJ
import Foundation
import PortraitGeometry

/// One PROJ context (`proj_context_create`) and one transformation
/// (`proj_create_crs_to_crs` + `proj_normalize_for_visualization`, so every
/// CRS reads easting/longitude first). Used by one thread at a time: the pool
/// hands it out and takes it back.
final class ProjTransformer {
    let context: OpaquePointer
    let pj: OpaquePointer

    init(from source: CRS, to target: CRS) throws(SpatialLibraryError) {
        let ctx = try localProjContext()
        func fail(_ fn: String) -> SpatialLibraryError {
            let errno = proj_context_errno(ctx)
            let msg = proj_context_errno_string(ctx, errno).map { String(cString: $0) } ?? "erreur \(errno)"
            return SpatialLibraryError(library: "PROJ", function: fn, message: "\(msg) (\(source) → \(target))")
        }
        guard let raw = proj_create_crs_to_crs(ctx, source.definition, target.definition, nil) else {
            let e = fail("proj_create_crs_to_crs")
            proj_context_destroy(ctx)
            throw e
        }
        guard let norm = proj_normalize_for_visualization(ctx, raw) else {
            let e = fail("proj_normalize_for_visualization")
            proj_destroy(raw)
            proj_context_destroy(ctx)
            throw e
        }
        proj_destroy(raw)
        context = ctx
        pj = norm
    }

    deinit {
        proj_destroy(pj)
        proj_context_destroy(context)
    }

    /// Transforms positions in place (`proj_trans_generic`).
    func transform(_ positions: inout [Position]) throws(SpatialLibraryError) {
        guard !positions.isEmpty else { return }
        let n = positions.count
        let stride = MemoryLayout<Position>.stride
        proj_errno_reset(pj)
        let done = positions.withUnsafeMutableBytes { buf -> Int in
            let base = buf.baseAddress!.assumingMemoryBound(to: Double.self)
            return proj_trans_generic(pj, PJ_FWD, base, stride, n, base + 1, stride, n, nil, 0, 0, nil, 0, 0)
        }
        let err = proj_errno(pj)
        if done != n || err != 0 {
            let msg = proj_context_errno_string(context, err).map { String(cString: $0) } ?? "erreur \(err)"
            throw SpatialLibraryError(library: "PROJ", function: "proj_trans_generic", message: msg)
        }
        for p in positions where !p.x.isFinite || !p.y.isFinite {
            throw SpatialLibraryError(library: "PROJ", function: "proj_trans_generic",
                                      message: "point hors du domaine de la projection (\(p.x), \(p.y))")
        }
    }
}

/// A pool of transformers, keyed by (source, target). Each transformer (and
/// its PROJ context) is lent to one caller at a time, for the length of a
/// synchronous closure: no context is ever used by two threads at once, and
/// none is held across an `await`.
final class TransformerPool: @unchecked Sendable {
    struct Key: Hashable { let from: CRS; let to: CRS }
    private let lock = NSLock()
    private var idle: [Key: [ProjTransformer]] = [:]

    static let shared = TransformerPool()

    func withTransformer<R>(from: CRS, to: CRS, _ body: (ProjTransformer) throws -> R) throws -> R {
        let key = Key(from: from, to: to)
        let t: ProjTransformer = try {
            lock.lock()
            if var list = idle[key], let t = list.popLast() {
                idle[key] = list
                lock.unlock()
                return t
            }
            lock.unlock()
            return try ProjTransformer(from: from, to: to)
        }()
        defer {
            lock.lock()
            idle[key, default: []].append(t)
            lock.unlock()
        }
        return try body(t)
    }
}

/// A new PROJ context that reads only PROJ's local database and grids: network access off
/// (`proj_context_set_enable_network`, whatever `PROJ_NETWORK` says), messages off (read with `proj_context_errno`).
/// One per use or per transformer, never shared between threads.
func localProjContext() throws(SpatialLibraryError) -> OpaquePointer {
    guard let ctx = proj_context_create() else {
        throw SpatialLibraryError(library: "PROJ", function: "proj_context_create", message: "contexte introuvable")
    }
    proj_log_level(ctx, PJ_LOG_NONE)
    _ = proj_context_set_enable_network(ctx, 0)
    return ctx
}

/// True when a PROJ context made by `localProjContext` has network access (it never should: tested).
public func projNetworkEnabledInPortraitContexts() -> Bool {
    guard let ctx = try? localProjContext() else { return false }
    defer { proj_context_destroy(ctx) }
    return proj_context_is_network_enabled(ctx) != 0
}
