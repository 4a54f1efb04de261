import PortraitGeometry

/// Points of a GeoJSON or CSV (lat/lon columns) file, in WGS84, with their row numbers.
public enum VectorSourceReader {
    public static func points(_ path: String) throws -> [(Int, Position)] {
        try pointFeatures(path).points.map { ($0.row, $0.position) }
    }

    /// One point with its one-based row and its own fields' text, in the order of the file's fields.
    public struct PointRow: Sendable {
        public var row: Int
        public var position: Position
        public var values: [String?]
    }

    /// The points of a file with their fields (in the file's order), and the rows without a usable point.
    public static func pointFeatures(_ path: String) throws -> (fields: [String], points: [PointRow], withoutPoint: [Int]) {
        let layer: SourceLayer
        do {
            layer = try VectorSource.read(path: path, openOptions: ["X_POSSIBLE_NAMES=lon,longitude,long,x",
                                                                    "Y_POSSIBLE_NAMES=lat,latitude,y", "KEEP_GEOM_COLUMNS=NO"])
        } catch let e as SourceError { throw ImportError(.notAGeoFile, file: path, e.description) }
        var points: [PointRow] = [], without: [Int] = []
        for f in layer.features {
            guard case .point(let p)? = f.geometry, p.position.x.isFinite, p.position.y.isFinite else { without.append(f.index + 1); continue }
            points.append(PointRow(row: f.index + 1, position: p.position, values: layer.fields.map { f.attributes[$0]?.text }))
        }
        return (layer.fields, points, without)
    }
}
