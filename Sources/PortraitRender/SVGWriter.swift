import PortraitGeometry
import PortraitModel

/// Small SVG building helpers: escaping, rounded numbers, path data.
enum SVG {
    /// Escapes text and attribute values (`&`, `<`, `>`, quotes, apostrophes: L'Isle-Verte): `Escape.xml`.
    static func esc(_ s: String) -> String { Escape.xml(s) }

    /// A pixel number with `digits` decimals at most.
    static func n(_ v: Double, _ digits: Int = 1) -> String { NumberFormat.fixed(v, digits) }

    /// Path data for polygons in pixel space: absolute move-to, then relative
    /// line-to steps (shorter), each ring closed. Points closer than the
    /// rounding step are dropped.
    static func path(_ g: Geometry, digits: Int = 1) -> String {
        var out = ""
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        func ring(_ ps: [Position], close: Bool) {
            var prev: (Int, Int)?
            var count = 0
            var local = ""
            for p in ps {
                let q = (Int((p.x * scale).rounded()), Int((p.y * scale).rounded()))
                if let pr = prev {
                    if pr == q { continue }
                    local += " " + n(Double(q.0 - pr.0) / scale, digits) + " " + n(Double(q.1 - pr.1) / scale, digits)
                } else {
                    local += "M" + n(Double(q.0) / scale, digits) + " " + n(Double(q.1) / scale, digits) + "l"
                }
                prev = q
                count += 1
            }
            guard count >= (close ? 3 : 2) else { return }
            out += local + (close ? "z" : "")
        }
        for poly in g.polygons { for r in poly.rings { ring(r.positions, close: true) } }
        for l in g.lineStrings { ring(l.positions, close: false) }
        return out
    }
}
