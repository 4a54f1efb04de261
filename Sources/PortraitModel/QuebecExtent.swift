import PortraitGeometry

/// The envelope of Quebec in WGS84, used to catch files that are not about
/// Quebec at all (wrong CRS, swapped axes, another province).
/// Rounded outwards from the SDA regions layer (about −79.8 to −57.1 E, 45.0 to 62.6 N).
public enum QuebecExtent {
    public static let bbox = BBox(minX: -80.0, minY: 44.9, maxX: -56.9, maxY: 62.7)
}
