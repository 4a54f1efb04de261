import Foundation
import PortraitModel

/// Opens the store a location names. Today every location is a GeoPackage
/// file; a `postgresql://` URL will select the PostGIS backend here, and
/// nowhere else.
public enum Stores {
    /// Default location, relative to the working directory.
    public static let defaultPath = "geodata/portrait.gpkg"
    /// Environment variable that overrides the default location.
    public static let environmentVariable = "PORTRAIT_STORE"

    /// `explicit` (from `--store`), else `$PORTRAIT_STORE`, else `geodata/portrait.gpkg`.
    public static func resolve(_ explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = ProcessInfo.processInfo.environment[environmentVariable], !env.isEmpty { return env }
        return defaultPath
    }

    /// True when a store exists at `location`.
    public static func exists(_ location: String) -> Bool { FileManager.default.fileExists(atPath: location) }

    /// The store's own change stamp, without opening it: for a GeoPackage, SQLite's file change counter
    /// (incremented by every committed write, whichever process made it) and the file's identity (a store
    /// replaced by another file changes it). One `pread` of the header: cheap enough for every request.
    public static func changeStamp(_ location: String) throws -> String {
        guard exists(location) else { throw StoreError.missing(location) }
        return try GeoPackageStore.fileStamp(location)
    }

    /// Where the tile cache of the store at `location` lives unless told otherwise: beside it,
    /// `geodata/portrait.gpkg` → `geodata/portrait.tiles/`, whatever the working directory.
    public static func tilesDirectory(for location: String) -> String {
        ((location as NSString).deletingPathExtension) + ".tiles"
    }

    /// Opens an existing store, read-only unless `writable`; `StoreError.missing` (unavailable) when there is none.
    public static func open(_ location: String, writable: Bool = false) throws -> any TerritoryStore {
        guard exists(location) else { throw StoreError.missing(location) }
        return try GeoPackageStore(openExisting: location, writable: writable)
    }

    /// Opens (or creates) the store at `location` and runs `body` in one
    /// transaction. On failure nothing lands, and a store this call created is
    /// removed, so a failed first import leaves no file behind.
    public static func writing<R>(to location: String, _ body: (any TerritoryStore) throws -> R) throws -> R {
        let created = !exists(location)
        do {
            let store = try GeoPackageStore(openOrCreate: location)
            return try store.transaction { try body(store) }
        } catch {
            if created { try? FileManager.default.removeItem(atPath: location) }
            throw error
        }
    }
}
