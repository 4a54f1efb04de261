import Foundation
import PortraitGeometry

/// A tile of the Web Mercator (EPSG:3857) pyramid, XYZ scheme (y from the north).
public struct TileID: Hashable, Sendable, CustomStringConvertible {
    public let z: Int
    public let x: Int
    public let y: Int

    public static let maxZoom = 22
    /// Half the width of the Web Mercator square, in metres.
    public static let originShift = 20_037_508.342789244

    /// Nil when z, x or y lie outside the pyramid.
    public init?(z: Int, x: Int, y: Int) {
        guard (0...Self.maxZoom).contains(z) else { return nil }
        let n = 1 << z
        guard (0..<n).contains(x), (0..<n).contains(y) else { return nil }
        self.z = z; self.x = x; self.y = y
    }

    /// The tile's square in EPSG:3857 metres.
    public var bounds: BBox {
        let size = 2 * Self.originShift / Double(1 << z)
        let minX = -Self.originShift + Double(x) * size
        let maxY = Self.originShift - Double(y) * size
        return BBox(minX: minX, minY: maxY - size, maxX: minX + size, maxY: maxY)
    }

    /// MBTiles rows count from the south (TMS).
    public var tmsRow: Int { (1 << z) - 1 - y }

    public var description: String { "\(z)/\(x)/\(y)" }

    /// The tiles at zoom `z` covering a WGS84 box.
    public static func covering(_ b: BBox, zoom z: Int) -> [TileID] {
        let n = Double(1 << z)
        func tx(_ lon: Double) -> Int { Int(((lon + 180) / 360 * n).rounded(.down)) }
        func ty(_ lat: Double) -> Int {
            let r = lat * .pi / 180
            return Int(((1 - log(tan(r) + 1 / cos(r)) / .pi) / 2 * n).rounded(.down))
        }
        let maxIndex = (1 << z) - 1
        let x0 = max(0, tx(b.minX)), x1 = min(maxIndex, tx(b.maxX))
        let y0 = max(0, ty(b.maxY)), y1 = min(maxIndex, ty(b.minY))
        guard x0 <= x1, y0 <= y1 else { return [] }
        return (x0...x1).flatMap { x in (y0...y1).compactMap { TileID(z: z, x: x, y: $0) } }
    }
}
