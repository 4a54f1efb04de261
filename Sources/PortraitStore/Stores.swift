import Foundation
import PortraitModel

/// Opens the store a location names: a `postgresql://` URL selects the
/// PostgreSQL/PostGIS backend, anything else is a GeoPackage file. This is the
/// only place that picks a backend.
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

    /// True when `location` is a PostgreSQL URL rather than a file.
    public static func isDatabase(_ location: String) -> Bool { PostgresLocation.isPostgres(location) }

    /// True when a store exists at `location` (for a database: Portrait's tables are there; a database that
    /// cannot be reached counts as none).
    public static func exists(_ location: String) -> Bool {
        if isDatabase(location) { return (try? PostGISStore.exists(location)) ?? false }
        return FileManager.default.fileExists(atPath: location)
    }

    /// How `location` is shown: a database URL without its password.
    /// The store as an answer may name it: a database without its password, a GeoPackage by its file name only
    /// (never a folder of the server).
    public static func publicName(_ location: String) -> String {
        isDatabase(location) ? display(location) : (location as NSString).lastPathComponent
    }

    public static func display(_ location: String) -> String {
        isDatabase(location) ? ((try? PostgresLocation(location))?.description ?? location) : location
    }

    /// The store's own change stamp, without opening it: for a GeoPackage, SQLite's file change counter
    /// (incremented by every committed write, whichever process made it) and the file's identity (a store
    /// replaced by another file changes it). One `pread` of the header: cheap enough for every request.
    /// For a database: the stamp row every committed write advances, followed from memory once `watch` ran.
    public static func changeStamp(_ location: String) throws -> String {
        if isDatabase(location) { return try PostGISStore.changeStamp(location) }
        guard exists(location) else { throw StoreError.missing(location) }
        return try GeoPackageStore.fileStamp(location)
    }

    /// Where the tile cache of the store at `location` lives unless told otherwise: beside it,
    /// `geodata/portrait.gpkg` → `geodata/portrait.tiles/`, whatever the working directory.
    /// For a database, `tiles/HOST_PORT_DB` under the user's cache folder (`$XDG_CACHE_HOME/portrait`, else
    /// `~/.cache/portrait`): each server keeps its own, kept in step by the database's stamp.
    public static func tilesDirectory(for location: String) -> String {
        if isDatabase(location), let l = try? PostgresLocation(location) {
            let env = ProcessInfo.processInfo.environment
            let cache = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? ((env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSTemporaryDirectory()) + "/.cache")
            return cache + "/portrait/tiles/" + l.slug
        }
        return ((location as NSString).deletingPathExtension) + ".tiles"
    }

    /// Follows a database's change stamp from memory (a server calls it once at start; no-op for a file).
    public static func watch(_ location: String) throws {
        if isDatabase(location) { try PostGISStore.watch(location) }
    }

    /// Opens an existing store, read-only unless `writable`; `StoreError.missing` (unavailable) when there is none.
    public static func open(_ location: String, writable: Bool = false) throws -> any TerritoryStore {
        if isDatabase(location) { return try PostGISStore(location) }
        guard exists(location) else { throw StoreError.missing(location) }
        return try GeoPackageStore(openExisting: location, writable: writable)
    }

    /// A new store goes into a folder that exists: a mistyped folder is named, never created (an import would
    /// otherwise fill a new, empty store nobody looks at), and a file in the path is named as such.
    public static func checkNewLocation(_ location: String) throws {
        let absolute = (location as NSString).isAbsolutePath ? location
            : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(location)
        let path = (absolute as NSString).standardizingPath
        let dir = (path as NSString).deletingLastPathComponent
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw StoreError(path: location, function: "create", message: "« \(dir) » est un fichier, pas un dossier : le magasin ne peut pas y être créé ; corrigez le chemin de --store", kind: .invalidInput)
            }
            guard FileManager.default.isWritableFile(atPath: dir) else {
                throw StoreError(path: location, function: "create", message: "le dossier « \(dir) » n'est pas accessible en écriture : choisissez un autre chemin pour --store", kind: .unavailable)
            }
            return
        }
        // The first part of the path that is missing, or a file where a folder should be.
        var existing = dir
        while !existing.isEmpty, existing != "/", !FileManager.default.fileExists(atPath: existing, isDirectory: &isDir) {
            existing = (existing as NSString).deletingLastPathComponent
        }
        if FileManager.default.fileExists(atPath: existing, isDirectory: &isDir), !isDir.boolValue {
            throw StoreError(path: location, function: "create", message: "« \(existing) » est un fichier, pas un dossier : le magasin ne peut pas y être créé ; corrigez le chemin de --store", kind: .invalidInput)
        }
        throw StoreError(path: location, function: "create",
                         message: "le dossier « \(dir) » n'existe pas (« \(existing) » existe) : corrigez le chemin de --store, ou créez le dossier (mkdir -p \(dir))",
                         kind: .invalidInput)
    }

    /// Opens (or creates) the store at `location` and runs `body` in one
    /// transaction. On failure nothing lands, and a store this call created is
    /// removed, so a failed first import leaves no file behind.
    public static func writing<R>(to location: String, _ body: (any TerritoryStore) throws -> R) throws -> R {
        if isDatabase(location) {
            // Portrait's tables, when missing, are made in the write's own transaction: all or nothing.
            let store = try PostGISStore(location, create: true, schemaInWrite: true)
            return try store.transaction {
                try store.createSchemaIfMissing()
                return try body(store)
            }
        }
        if exists(location) {
            let store = try GeoPackageStore(openOrCreate: location)
            return try store.transaction { try body(store) }
        }
        try checkNewLocation(location)
        // A new store is made whole under a temporary name and linked into place: a process killed before the end
        // leaves no store, never an empty or half-written one.
        return try NewFile.create(at: location, { temporary in
            let store = try GeoPackageStore(openOrCreate: temporary)
            return try store.transaction { try body(store) }
        }, raced: {
            throw StoreError(path: location, function: "link", message: "un autre processus a créé ce magasin pendant l'écriture : rien n'a été écrit ; recommencez",
                             kind: .invalidInput)
        })
    }
}
