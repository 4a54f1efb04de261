import CGDAL
import Foundation
import PortraitGeometry
import PortraitModel

/// A field value read from a foreign file.
public enum FieldValue: Hashable, Sendable {
    case string(String)
    case int(Int64)
    case double(Double)
    case null

    /// The value as text, exactly as written for strings.
    public var text: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .null: nil
        }
    }
}

/// One feature read from a foreign file: its position in the layer, its
/// attributes and its geometry (two-dimensional, as read).
public struct SourceFeature: Sendable {
    /// Zero-based position in the layer, used in error messages as "entité N" (one-based).
    public var index: Int
    public var attributes: [String: FieldValue]
    public var geometry: Geometry?
    /// A geometry OGR returned but that could not be decoded (reason).
    public var geometryProblem: String?

    public init(index: Int, attributes: [String: FieldValue], geometry: Geometry?, geometryProblem: String? = nil) {
        self.index = index; self.attributes = attributes; self.geometry = geometry; self.geometryProblem = geometryProblem
    }
}

/// A whole layer read through GDAL/OGR.
public struct SourceLayer: Sendable {
    public var path: String
    public var name: String
    /// The OGR driver's short name (GeoJSON, ESRI Shapefile, GPKG, CSV, …).
    public var driver: String
    /// Field names in file order.
    public var fields: [String]
    /// The layer's CRS as WKT from GDAL; nil when the file declares none, or for GeoJSON read without GDAL
    /// (its CRS is RFC 7946's, named in `crsName`).
    public var crsWKT: String?
    /// "EPSG:4326"-style name when GDAL identifies an authority code.
    public var crsName: String?
    public var hasGeometryColumn: Bool
    public var features: [SourceFeature]
    /// How a delimited text file was read (`DelimitedText`); nil for every other format.
    public var textLayout: TextLayout? = nil
}

/// Errors in the input file itself: what a planner can fix.
public enum SourceError: PortraitError, Hashable, Sendable {
    case fileNotFound(path: String)
    case notAGeoFile(path: String, gdalMessage: String)
    case layerNotFound(path: String, layer: String, available: [String])
    case noLayer(path: String)
    /// A file refused from its own bytes before GDAL opens it (`VectorSource.guardedPath`): why.
    case refused(path: String, reason: String)

    public var kind: ErrorKind {
        if case .fileNotFound = self { return .notFound }
        return .invalidInput
    }

    public var description: String {
        switch self {
        case .fileNotFound(let p):
            "\(p) : fichier introuvable"
        case .notAGeoFile(let p, let m):
            "\(p) : ce n'est pas un fichier géographique lisible par GDAL/OGR (\(m))"
        case .layerNotFound(let p, let l, let a):
            "\(p) : couche « \(l) » introuvable ; couches présentes : \(a.joined(separator: ", "))"
        case .noLayer(let p):
            "\(p) : le fichier ne contient aucune couche vectorielle"
        case .refused(let p, let r):
            "\(p) : fichier refusé : \(r)"
        }
    }

    /// The description without the file's path (for messages that name the file already).
    public var message: String {
        switch self {
        case .fileNotFound: "fichier introuvable"
        case .notAGeoFile(_, let m): "ce n'est pas un fichier géographique lisible par GDAL/OGR (\(m))"
        case .layerNotFound(_, let l, let a): "couche « \(l) » introuvable ; couches présentes : \(a.joined(separator: ", "))"
        case .noLayer: "le fichier ne contient aucune couche vectorielle"
        case .refused(_, let r): "fichier refusé : \(r)"
        }
    }
}

/// libgdal could not be loaded (not installed, or not GDAL 3): not the file's fault, so not a `SourceError`.
public struct GDALUnavailable: PortraitError, Hashable, Sendable {
    public var message: String
    public var kind: ErrorKind { .unavailable }
    public var description: String { "lecture des formats géographiques impossible : \(message)" }
}

/// Reads foreign vector formats through GDAL/OGR (`GDALOpenEx`,
/// `OGR_L_GetNextFeature`, `OGR_G_ExportToIsoWkb`): GeoJSON, Shapefile,
/// GeoPackage, FileGDB, CSV, XLSX and every other driver GDAL was built with.
public enum VectorSource {
    /// GDAL, loaded and its drivers registered on first use (`portrait_gdal_load`, `GDALAllRegister`): nil when
    /// ready, else why it is not there.
    private static let loadFailure: String? = {
        if let failure = portrait_gdal_load() { return String(cString: failure) }
        GDALAllRegister()
        // Keep GDAL quiet on stderr; its messages are read with CPLGetLastErrorMsg.
        CPLSetErrorHandler(CPLQuietErrorHandler)
        return nil
    }()

    /// Throws `unavailable` when GDAL cannot be loaded.
    private static func requireGDAL() throws {
        if let loadFailure { throw GDALUnavailable(message: loadFailure) }
    }

    /// Reads one layer (the first when `layer` is nil) of `path`, whole.
    /// `openOptions` are GDAL open options such as `SEPARATOR=SEMICOLON`.
    /// `configOptions` are GDAL configuration options (`CPLSetThreadLocalConfigOption`)
    /// set for this thread during the read only, such as `OGR_XLSX_HEADERS=FORCE`.
    /// The names of a file's layers (a workbook's sheets), in order (`GDALDatasetGetLayer`).
    public static func layerNames(path: String, drivers: DriverSet = .tables) throws -> [String] {
        try InputFile.requireOrdinary(path)
        try requireGDAL()
        guard FileManager.default.fileExists(atPath: path) else { throw SourceError.fileNotFound(path: path) }
        let openPath = try guardedPath(path)
        CPLErrorReset()
        guard let ds = withCStrings(drivers.names, { drivers in GDALOpenEx(openPath, UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY), drivers, nil, nil) }) else {
            let msg = String(cString: CPLGetLastErrorMsg())
            throw SourceError.notAGeoFile(path: path, gdalMessage: msg.isEmpty ? "format non reconnu" : msg)
        }
        defer { GDALClose(ds) }
        return (0..<GDALDatasetGetLayerCount(ds)).compactMap { i in GDALDatasetGetLayer(ds, i).map { String(cString: OGR_L_GetName($0)) } }
    }

    /// Reads one layer (`layer`, else the first of `prefer` present, else the first). A GeoJSON
    /// FeatureCollection is read natively when it holds nothing GDAL would read otherwise (`GeoJSONReader`,
    /// no GDAL loaded); every other file, and those GeoJSON files, with `GDALOpenEx`.
    /// `drivers` are the only GDAL drivers the file may be opened with (`DriverSet`).
    public static func read(path: String, layer: String? = nil, prefer: [String] = [], openOptions: [String] = [],
                            configOptions: [String: String] = [:], drivers: DriverSet = .geographic, guarded: Bool = true) throws -> SourceLayer {
        try InputFile.requireOrdinary(path)
        if layer == nil, let native = readGeoJSON(path: path) { return native }
        if DelimitedText.handles(path) {
            // Delimited text never goes through GDAL (`DelimitedText`); GDAL's point options are honoured.
            func names(_ option: String) -> [String]? {
                openOptions.first { $0.uppercased().hasPrefix(option + "=") }
                    .map { $0.dropFirst(option.count + 1).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            }
            let x = names("X_POSSIBLE_NAMES"), y = names("Y_POSSIBLE_NAMES")
            let drop = openOptions.contains { $0.uppercased() == "KEEP_GEOM_COLUMNS=NO" }
            let layer = try DelimitedText.read(file: path, points: x.flatMap { x in y.map { (x, $0) } }, dropPointColumns: drop)
            // Delimited text with a WKT geometry column is a geographic file: GDAL reads its geometries (the file
            // has just been read and checked whole, so GDAL gets a well-formed table).
            guard layer.fields.contains(where: { $0.uppercased() == "WKT" }) else { return layer }
        }
        return try readGDAL(path: path, layer: layer, prefer: prefer, openOptions: openOptions, configOptions: configOptions, drivers: drivers)
    }

    /// `read` through GDAL whatever the format.
    static func readGDAL(path: String, layer: String? = nil, prefer: [String] = [], openOptions: [String] = [],
                         configOptions: [String: String] = [:], drivers: DriverSet = .geographic, guarded: Bool = true) throws -> SourceLayer {
        try requireGDAL()
        for (k, v) in configOptions { CPLSetThreadLocalConfigOption(k, v) }
        defer { for (k, _) in configOptions { CPLSetThreadLocalConfigOption(k, nil) } }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw SourceError.fileNotFound(path: path)
        }
        // `guarded: false` only in the tests that check GDAL's own network lock.
        let openPath = isDir.boolValue || !guarded ? path : try guardedPath(path)
        CPLErrorReset()
        let ds: GDALDatasetH? = withCStrings(openOptions) { opts in
            withCStrings(drivers.names) { drivers in GDALOpenEx(openPath, UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY), drivers, opts, nil) }
        }
        guard let ds else {
            let msg = String(cString: CPLGetLastErrorMsg())
            throw SourceError.notAGeoFile(path: path, gdalMessage: msg.isEmpty ? "format non reconnu" : msg)
        }
        defer { GDALClose(ds) }
        let driver = GDALGetDatasetDriver(ds).map { String(cString: GDALGetDriverShortName($0)) } ?? "?"
        let count = GDALDatasetGetLayerCount(ds)
        guard count > 0 else { throw SourceError.noLayer(path: path) }
        var names: [String] = []
        for i in 0..<count {
            if let l = GDALDatasetGetLayer(ds, i) { names.append(String(cString: OGR_L_GetName(l))) }
        }
        let lyr: OGRLayerH
        if let layer {
            guard let l = GDALDatasetGetLayerByName(ds, layer) else {
                throw SourceError.layerNotFound(path: path, layer: layer, available: names)
            }
            lyr = l
        } else {
            let wanted = prefer.map(Names.key)
            let index = names.firstIndex { wanted.contains(Names.key($0)) } ?? 0
            guard let l = GDALDatasetGetLayer(ds, Int32(index)) else { throw SourceError.noLayer(path: path) }
            lyr = l
        }
        return readLayer(lyr, path: path, driver: driver)
    }

    private static func readLayer(_ lyr: OGRLayerH, path: String, driver: String) -> SourceLayer {
        let defn = OGR_L_GetLayerDefn(lyr)
        let nFields = OGR_FD_GetFieldCount(defn)
        var fields: [String] = []
        var types: [OGRFieldType] = []
        for i in 0..<nFields {
            let fd = OGR_FD_GetFieldDefn(defn, i)
            fields.append(decodeText(OGR_Fld_GetNameRef(fd)))
            types.append(OGR_Fld_GetType(fd))
        }
        var crsWKT: String?
        var crsName: String?
        if let srs = OGR_L_GetSpatialRef(lyr) {
            var wkt: UnsafeMutablePointer<CChar>?
            if OSRExportToWkt(srs, &wkt) == OGRERR_NONE, let wkt {
                crsWKT = String(cString: wkt)
                VSIFree(wkt)
            }
            if let auth = OSRGetAuthorityName(srs, nil), let code = OSRGetAuthorityCode(srs, nil) {
                crsName = "\(String(cString: auth)):\(String(cString: code))"
            }
        }
        let hasGeom = OGR_FD_GetGeomFieldCount(defn) > 0
        var features: [SourceFeature] = []
        OGR_L_ResetReading(lyr)
        var index = 0
        while let f = OGR_L_GetNextFeature(lyr) {
            defer { OGR_F_Destroy(f); index += 1 }
            var attrs: [String: FieldValue] = [:]
            for i in 0..<Int(nFields) {
                let fi = Int32(i)
                guard OGR_F_IsFieldSetAndNotNull(f, fi) != 0 else { attrs[fields[i]] = .null; continue }
                switch types[i] {
                case OFTInteger, OFTInteger64: attrs[fields[i]] = .int(OGR_F_GetFieldAsInteger64(f, fi))
                case OFTReal: attrs[fields[i]] = .double(OGR_F_GetFieldAsDouble(f, fi))
                default: attrs[fields[i]] = .string(decodeText(OGR_F_GetFieldAsString(f, fi)))
                }
            }
            var geometry: Geometry?
            var problem: String?
            if let g = OGR_F_GetGeometryRef(f) {
                // Curves (arcs in FileGDB, for instance) become line segments.
                let linear = OGR_G_HasCurveGeometry(g, 1) != 0 ? OGR_G_GetLinearGeometry(g, 0, nil) : nil
                defer { if let linear { OGR_G_DestroyGeometry(linear) } }
                let src = linear ?? g
                let size = OGR_G_WkbSizeEx(src)
                var buf = [UInt8](repeating: 0, count: size)
                if OGR_G_ExportToIsoWkb(src, wkbNDR, &buf) == OGRERR_NONE {
                    do { geometry = try Geometry(wkb: buf) } catch { problem = error.description }
                } else {
                    problem = String(cString: CPLGetLastErrorMsg())
                }
            }
            features.append(SourceFeature(index: index, attributes: attrs, geometry: geometry, geometryProblem: problem))
        }
        return SourceLayer(path: path, name: String(cString: OGR_L_GetName(lyr)), driver: driver, fields: fields,
                           crsWKT: crsWKT, crsName: crsName, hasGeometryColumn: hasGeom, features: features)
    }

    /// True when GDAL's network access is off for the process (`portrait_gdal_network_locked`): checked by the tests
    /// and shown by `portrait info`.
    public static var networkLocked: Bool {
        guard loadFailure == nil else { return true }
        return portrait_gdal_network_locked() != 0
    }

    /// The GDAL version string (`GDALVersionInfo`).
    public static var gdalVersion: String {
        if let loadFailure { return "indisponible : \(loadFailure)" }
        return String(cString: GDALVersionInfo("RELEASE_NAME"))
    }
}

/// Passes a NULL-terminated `char **` list to `body`.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    if strings.isEmpty { return body(nil) }
    let dup = strings.map { strdup($0) }
    defer { dup.forEach { free($0) } }
    var ptrs: [UnsafePointer<CChar>?] = dup.map { UnsafePointer($0) } + [nil]
    return ptrs.withUnsafeMutableBufferPointer { body(UnsafePointer($0.baseAddress)) }
}

/// Text from GDAL: UTF-8 when it is valid UTF-8, else Windows-1252 (the
/// usual encoding of CSV files saved by spreadsheet software in Quebec).
func decodeText(_ p: UnsafePointer<CChar>?) -> String {
    guard let p else { return "" }
    let n = strlen(p)
    let bytes = UnsafeRawBufferPointer(start: p, count: n)
    if let s = String(validating: bytes, as: UTF8.self) { return s }
    return String(data: Data(bytes), encoding: .windowsCP1252) ?? String(decoding: bytes, as: UTF8.self)
}
