import Foundation
import PortraitGeometry
import PortraitModel
import PortraitStore

/// The GDAL drivers one kind of import may open a file with (`GDALOpenEx`'s allowed drivers). Every one reads
/// only the bytes of the file it is given: VRT (which reads other files, local or remote), GML and KML (which
/// follow links and schemas), and every network or database driver are left out whatever the file says.
public struct DriverSet: Hashable, Sendable {
    public var names: [String]
    public init(_ names: [String]) { self.names = names }

    /// Tables of figures: indicators, mobilisations, code changes (CSV is read natively, without GDAL).
    public static let tables = DriverSet(["CSV", "XLSX", "ODS"])
    /// Indicator tables: the tables, and the INSPQ's deprivation index by dissemination area, published as a
    /// shapefile (`Ad_2021_IndDef.shp`).
    public static let indicators = DriverSet(["CSV", "XLSX", "ODS", "ESRI Shapefile"])
    /// Geographic layers: boundaries, coastline, services, places. Shapefiles and FileGDB may come zipped.
    public static let geographic = DriverSet(["GeoJSON", "GPKG", "ESRI Shapefile", "OpenFileGDB", "CSV"])
    /// Portrait's own vector tiles, read back to check them (never a user's file).
    public static let tiles = DriverSet(["MVT", "MBTiles"])
}

extension VectorSource {
    /// What GDAL must not be given, decided from the file's own bytes before GDAL opens it: a VRT, a GeoJSON
    /// `crs` that sends GDAL to the network or to another file, a GeoPackage whose layers are SQL views (never
    /// executed) or whose schema does not read within a second, a zip with paths outside itself. Returns the
    /// path GDAL opens (a zip's `/vsizip/` path, built here from the server's own file, never from user data).
    static func guardedPath(_ path: String) throws -> String {
        let head = FileHandle(forReadingAtPath: path).flatMap { h in defer { try? h.close() }; return try? h.read(upToCount: 4096) } ?? Data()
        let text = String(decoding: head, as: UTF8.self).lowercased()
        if (path as NSString).pathExtension.lowercased() == "vrt" || text.contains("<ogrvrtdatasource") || text.contains("<vrtdataset") {
            throw SourceError.refused(path: path, reason: "fichier virtuel GDAL (VRT) refusé : il lit d'autres fichiers ou des adresses réseau, pas ses propres données")
        }
        if head.starts(with: Array("SQLite format 3\u{0}".utf8)) {
            try GeoPackageGuard.check(path)
            return path
        }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            let members = try ZipGuard.check(path)
            let lower = path.lowercased()
            // GDAL opens `.shp.zip`/`.shz` itself; a zipped FileGDB is opened at its folder; any other zip as a folder.
            if lower.hasSuffix(".shp.zip") || lower.hasSuffix(".shz") { return path }
            // A workbook is a zip too: XLSX (its OOXML parts) and ODS (its mimetype and content) go to their drivers.
            if members.contains("xl/workbook.xml") && members.contains("[Content_Types].xml") { return path }
            if members.contains("mimetype") && members.contains("content.xml") { return path }
            let gdb = Set(members.compactMap { m in m.split(separator: "/").first.map(String.init) }.filter { $0.lowercased().hasSuffix(".gdb") })
            return "/vsizip/" + path + (gdb.count == 1 ? "/" + gdb.first! : "")
        }
        if head.drop(while: { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF || $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }).first == UInt8(ascii: "{") {
            try refuseOutsideCRS(path, data: try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe))
        }
        return path
    }

    /// A GeoJSON `crs` member is resolved only against PROJ's local database: a link (`"type": "link"`, an
    /// `href`) or a name that is an address or a file path is refused, never fetched or read; names are
    /// authority codes (`EPSG:32198`), OGC URNs (`urn:ogc:def:crs:EPSG::32198`) or OGC definition URIs
    /// (`http://www.opengis.net/def/crs/EPSG/0/32198`, which PROJ reads without the network).
    static func refuseOutsideCRS(_ path: String, data: Data) throws {
        let member: GeoJSONReader.CRSMember?
        do { member = try GeoJSONReader.crsMember(data) } catch {
            // Not JSON Portrait reads: GDAL says why, unless the file names a crs somewhere, which is refused.
            if data.range(of: Data("\"crs\"".utf8)) != nil {
                throw SourceError.refused(path: path, reason: "membre crs dans un JSON illisible (\(error.reason)) : refusé")
            }
            return
        }
        switch member {
        case .link(let href, _)?:
            throw SourceError.refused(path: path, reason: "membre crs qui renvoie à une définition ailleurs (\(ImportError.printable(href ?? "?"))) : Portrait ne la cherche pas ; nommez le système de coordonnées, par exemple \"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"EPSG:32198\"}}")
        case .name(let name)? where !isLocalCRSName(name):
            throw SourceError.refused(path: path, reason: "nom de système de coordonnées « \(ImportError.printable(name)) » : seuls les codes (EPSG:32198, urn:ogc:def:crs:EPSG::32198, http://www.opengis.net/def/crs/EPSG/0/32198) sont lus, sans réseau ni autre fichier")
        default: return
        }
    }

    /// An authority code, an OGC URN, or an OGC definition URI: what PROJ resolves from its own database.
    static func isLocalCRSName(_ name: String) -> Bool {
        let n = name.trimmingSpaces()
        let code = #"^[A-Za-z][A-Za-z0-9_]*:[0-9A-Za-z_.]+$"#
        let urn = #"^urn:ogc:def:crs:[A-Za-z][A-Za-z0-9_]*:[0-9.]*:[0-9A-Za-z_]+$"#
        let uri = #"^https?://www\.opengis\.net/def/crs/[A-Za-z][A-Za-z0-9_]*/[0-9.]+/[0-9A-Za-z_]+$"#
        return [code, urn, uri].contains { n.range(of: $0, options: .regularExpression) != nil }
    }
}

/// An uploaded GeoPackage (or any SQLite file) checked before GDAL reads it, on a read-only connection whose
/// every statement stops after a second: its layers must be tables, never views (whose SQL, a recursive query for
/// instance, would run inside the server), and virtual tables only R-trees (GeoPackage's spatial index).
/// Triggers never run: the file is only ever opened read-only.
enum GeoPackageGuard {
    static let timeLimit = 1.0

    static func check(_ path: String) throws {
        let objects: [ForeignSQLite.Object]
        do { objects = try ForeignSQLite.schema(path, timeLimit: timeLimit) } catch {
            throw SourceError.refused(path: path, reason: "base SQLite illisible (\(error.message))")
        }
        let views = objects.filter { $0.type == "view" }.map(\.name)
        let modules = objects.filter { $0.module != nil && $0.module != "rtree" }.map(\.name)
        if !views.isEmpty {
            throw SourceError.refused(path: path, reason: "GeoPackage avec des vues SQL (\(views.prefix(5).map(ImportError.printable).joined(separator: ", "))) : une vue exécute du SQL venu du fichier ; enregistrez ses données dans une table (QGIS : Exporter, ou ogr2ogr)")
        }
        if !modules.isEmpty {
            throw SourceError.refused(path: path, reason: "GeoPackage avec des tables virtuelles (\(modules.prefix(5).map(ImportError.printable).joined(separator: ", "))) : refusées")
        }
    }
}

/// A zip checked before GDAL opens it as a folder: every member's name stays inside the archive (no absolute
/// path, no `..`), none is a VRT, and the members' declared sizes add up to at most `maxExpanded` bytes (an
/// archive that would fill the disk or the memory is refused before anything is expanded). Read from the
/// archive's central directory.
enum ZipGuard {
    static let maxExpanded: UInt64 = 2 << 30

    /// The members' names.
    @discardableResult
    static func check(_ path: String) throws -> [String] {
        func refuse(_ why: String) -> SourceError { .refused(path: path, reason: "archive zip : \(why)") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw SourceError.fileNotFound(path: path) }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let tailLength = min(size, 65_557)
        try? handle.seek(toOffset: size - tailLength)
        let tail = [UInt8]((try? handle.read(upToCount: Int(tailLength))) ?? Data())
        func u16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func u32(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(u16(b, i)) | UInt64(u16(b, i + 2)) << 16 }
        guard tail.count >= 22, let end = stride(from: tail.count - 22, through: 0, by: -1).first(where: {
            tail[$0] == 0x50 && tail[$0 + 1] == 0x4B && tail[$0 + 2] == 0x05 && tail[$0 + 3] == 0x06 }) else {
            throw refuse("répertoire central introuvable (fichier tronqué ?)")
        }
        let count = u16(tail, end + 10), directorySize = u32(tail, end + 12), directoryOffset = u32(tail, end + 16)
        guard directoryOffset != 0xFFFF_FFFF, count != 0xFFFF else { throw refuse("format zip64 non lu") }
        guard directoryOffset + directorySize <= size, directorySize < 64 << 20 else { throw refuse("répertoire central hors du fichier") }
        try? handle.seek(toOffset: directoryOffset)
        let directory = [UInt8]((try? handle.read(upToCount: Int(directorySize))) ?? Data())
        var i = 0, expanded: UInt64 = 0, names: [String] = []
        for _ in 0..<count {
            guard i + 46 <= directory.count, u32(directory, i) == 0x0201_4B50 else { throw refuse("répertoire central mal formé") }
            let nameLength = u16(directory, i + 28), extra = u16(directory, i + 30), comment = u16(directory, i + 32)
            guard i + 46 + nameLength <= directory.count else { throw refuse("répertoire central mal formé") }
            let name = String(decoding: directory[(i + 46)..<(i + 46 + nameLength)], as: UTF8.self)
            let parts = name.split(whereSeparator: { $0 == "/" || $0 == "\\" })
            if name.hasPrefix("/") || name.hasPrefix("\\") || parts.contains("..") || name.contains(":") {
                throw refuse("membre « \(ImportError.printable(name)) » hors de l'archive")
            }
            if name.lowercased().hasSuffix(".vrt") { throw refuse("membre « \(ImportError.printable(name)) » : fichier virtuel GDAL (VRT)") }
            expanded += u32(directory, i + 24)
            guard expanded <= maxExpanded else { throw refuse("plus de \(maxExpanded >> 30) Gio une fois décompressée") }
            names.append(name)
            i += 46 + nameLength + extra + comment
        }
        return names
    }
}
