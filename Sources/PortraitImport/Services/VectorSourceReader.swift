import PortraitGeometry

/// Points of a GeoJSON or CSV (lat/lon columns) file, in WGS84, with their row numbers.
public enum VectorSourceReader {
    public static func points(_ path: String) throws -> [(Int, Position)] {
        let layer: SourceLayer
        do {
            layer = try VectorSource.read(path: path, openOptions: ["X_POSSIBLE_NAMES=lon,longitude,long,x",
                                                                    "Y_POSSIBLE_NAMES=lat,latitude,y", "KEEP_GEOM_COLUMNS=NO"])
        } catch let e as SourceError { throw ImportError(.notAGeoFile, file: path, e.description) }
        return layer.features.compactMap { f in
            guard case .point(let p)? = f.geometry, p.position.x.isFinite, p.position.y.isFinite else { return nil }
            return (f.index + 1, p.position)
        }
    }
}
