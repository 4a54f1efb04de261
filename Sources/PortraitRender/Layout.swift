import PortraitGeometry
import PortraitModel

/// Where things go on the page, and the projection from map units to pixels.
struct Layout {
    static let margin = 16.0
    static let titleBand = 72.0
    /// The band under the map: the scale bar, then the source and projection lines (12 px each).
    let footerBand: Double
    static func footerBand(lines: Int) -> Double { 34 + 12 * Double(max(2, lines)) }
    /// Characters a line of the footer holds at `width` (9.5 px DejaVu Sans, at most 0.58 em a character).
    static func footerColumns(_ width: Double) -> Int { max(40, Int((width - 2 * margin) / (9.5 * 0.58))) }
    static let legendWidth = 236.0
    static let gap = 12.0

    let width: Double
    let height: Double
    let panels: Int
    let panelWidth: Double
    let mapHeight: Double
    /// Pixels per map unit.
    let scale: Double
    let extent: BBox
    let offsetX: Double
    let offsetY: Double

    init(width: Double, panels: Int, extent: BBox, footerLines: Int = 2) {
        self.width = width
        footerBand = Self.footerBand(lines: footerLines)
        self.panels = max(1, panels)
        self.extent = extent
        let n = Double(self.panels)
        panelWidth = (width - Self.legendWidth - 2 * Self.margin - (n - 1) * Self.gap) / n
        let aspect = extent.height / max(extent.width, 1e-9)
        let wanted = panelWidth * aspect
        mapHeight = min(max(wanted, 260), panelWidth * 1.4)
        scale = min(panelWidth / max(extent.width, 1e-9), mapHeight / max(extent.height, 1e-9))
        offsetX = Self.margin + (panelWidth - extent.width * scale) / 2
        offsetY = Self.titleBand + (mapHeight - extent.height * scale) / 2
        height = (Self.titleBand + max(mapHeight, 420) + footerBand).rounded()
    }

    func x(_ panel: Int) -> Double { Double(panel) * (panelWidth + Self.gap) }

    func toPixels(_ g: Geometry) -> Geometry {
        g.mapPositions { Position(offsetX + ($0.x - extent.minX) * scale, offsetY + (extent.maxY - $0.y) * scale) }
    }

    /// The map frame in map units, a little larger than the territory.
    func viewRectangle(_ e: BBox) -> Geometry {
        let pad = 12 / scale
        return .polygon(Polygon(exterior: [
            Position(e.minX - pad, e.minY - pad), Position(e.maxX + pad, e.minY - pad), Position(e.maxX + pad, e.maxY + pad),
            Position(e.minX - pad, e.maxY + pad), Position(e.minX - pad, e.minY - pad)]))
    }

    var legendX: Double { width - Self.legendWidth - Self.margin + 8 }
}
