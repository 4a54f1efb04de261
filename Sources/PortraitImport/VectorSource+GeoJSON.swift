import Foundation
import PortraitGeometry

extension VectorSource {
    /// A `.geojson` or `.json` file read without GDAL (`GeoJSONReader`), as GDAL's GeoJSON driver would read
    /// it: driver "GeoJSON", CRS EPSG:4326 (RFC 7946), fields in order of first appearance, every field present
    /// on every feature (null when absent). Nil when the file is not one the native reader takes as GDAL would
    /// (the caller then asks GDAL), or cannot be read at all (GDAL then says why).
    static func readGeoJSON(path: String) -> SourceLayer? {
        let ext = (path as NSString).pathExtension.lowercased()
        guard ext == "geojson" || ext == "json",
              let data = FileManager.default.contents(atPath: path),
              let collection = try? GeoJSONReader.read(data) else { return nil }
        let features = collection.features.enumerated().map { index, f -> SourceFeature in
            var attributes = Dictionary(uniqueKeysWithValues: collection.fields.map { ($0, FieldValue.null) })
            for (key, value) in f.properties {
                switch value {
                case .string(let s): attributes[key] = .string(s)
                case .int(let n): attributes[key] = .int(Int64(n))
                case .double(let d): attributes[key] = .double(d)
                case .bool(let b): attributes[key] = .int(b ? 1 : 0)
                case .null: attributes[key] = .null
                }
            }
            return SourceFeature(index: index, attributes: attributes, geometry: f.geometry)
        }
        let name = collection.name ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return SourceLayer(path: path, name: name, driver: "GeoJSON", fields: collection.fields, crsWKT: nil, crsName: "EPSG:4326",
                           hasGeometryColumn: true, features: features)
    }
}
