/// Writes RFC 7946 GeoJSON: WGS84 longitude/latitude, polygons with the
/// right-hand rule (exterior counter-clockwise, holes clockwise), numbers
/// rounded to `precision` decimals, members in a fixed order so that equal
/// inputs give identical bytes.
public struct GeoJSONWriter: Sendable {
    /// Decimal places for coordinates (6 ≈ 0.1 m).
    public var precision: Int
    /// Add a `bbox` member to each feature and to the collection.
    public var includeBBox: Bool

    /// Write a whole real number with a decimal point (`62000.0`): clients that type a field from the values they
    /// see (GDAL's OAPIF driver, from a first page) then make it a real, not an integer that truncates the next page.
    public var decimalPointInReals = false

    public init(precision: Int = 6, includeBBox: Bool = false, decimalPointInReals: Bool = false) {
        self.precision = precision; self.includeBBox = includeBBox; self.decimalPointInReals = decimalPointInReals
    }

    public func string(_ collection: FeatureCollection) -> String {
        var out = "{\"type\":\"FeatureCollection\""
        for (k, v) in collection.metadata {
            out += ",\(Self.quote(k)):\(Self.value(v))"
        }
        if includeBBox, let b = collection.bbox { out += ",\"bbox\":\(bboxString(b))" }
        out += ",\"features\":["
        for (i, f) in collection.features.enumerated() {
            if i > 0 { out += ",\n" } else { out += "\n" }
            out += string(f)
        }
        out += "\n]}\n"
        return out
    }

    public func string(_ feature: Feature) -> String {
        var out = "{\"type\":\"Feature\""
        if let id = feature.id { out += ",\"id\":\(Self.quote(id))" }
        if includeBBox, let b = feature.geometry?.bbox { out += ",\"bbox\":\(bboxString(b))" }
        out += ",\"properties\":{"
        for (i, (k, v)) in feature.properties.enumerated() {
            if i > 0 { out += "," }
            if decimalPointInReals, case .double(let d) = v, d.isFinite, d.rounded() == d, abs(d) < 1e15 {
                out += "\(Self.quote(k)):\(Self.value(v)).0"
            } else {
                out += "\(Self.quote(k)):\(Self.value(v))"
            }
        }
        out += "},\"geometry\":"
        if let g = feature.geometry { out += string(g) } else { out += "null" }
        out += "}"
        return out
    }

    public func string(_ geometry: Geometry) -> String {
        switch geometry {
        case .point(let p):
            return "{\"type\":\"Point\",\"coordinates\":\(pos(p.position))}"
        case .lineString(let l):
            return "{\"type\":\"LineString\",\"coordinates\":\(line(l.positions))}"
        case .polygon(let p):
            return "{\"type\":\"Polygon\",\"coordinates\":\(polygon(p))}"
        case .multiPoint(let m):
            return "{\"type\":\"MultiPoint\",\"coordinates\":\(line(m.points))}"
        case .multiLineString(let m):
            return "{\"type\":\"MultiLineString\",\"coordinates\":[\(m.lineStrings.map { line($0.positions) }.joined(separator: ","))]}"
        case .multiPolygon(let m):
            return "{\"type\":\"MultiPolygon\",\"coordinates\":[\(m.polygons.map(polygon).joined(separator: ","))]}"
        case .geometryCollection(let gs):
            return "{\"type\":\"GeometryCollection\",\"geometries\":[\(gs.map { string($0) }.joined(separator: ","))]}"
        }
    }

    func polygon(_ p: Polygon) -> String {
        var parts: [String] = []
        for (i, ring) in p.rings.enumerated() {
            let ccw = ring.signedDoubleArea > 0
            // Exterior counter-clockwise, holes clockwise (RFC 7946 §3.1.6).
            let wantCCW = i == 0
            let positions = ccw == wantCCW || ring.signedDoubleArea == 0 ? ring.positions : ring.positions.reversed()
            parts.append(line(positions))
        }
        return "[\(parts.joined(separator: ","))]"
    }

    func line(_ ps: [Position]) -> String {
        var out = "["
        out.reserveCapacity(ps.count * 24)
        for (i, p) in ps.enumerated() {
            if i > 0 { out += "," }
            out += pos(p)
        }
        return out + "]"
    }

    func pos(_ p: Position) -> String {
        "[\(NumberFormat.fixed(p.x, precision)),\(NumberFormat.fixed(p.y, precision))]"
    }

    func bboxString(_ b: BBox) -> String {
        "[\(b.asArray.map { NumberFormat.fixed($0, precision) }.joined(separator: ","))]"
    }

    static func value(_ v: PropertyValue) -> String {
        switch v {
        case .string(let s): quote(s)
        case .int(let i): String(i)
        case .double(let d): d.isFinite ? NumberFormat.shortest(d) : "null"
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        }
    }

    /// A JSON string literal.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

/// Number formatting shared by the writers: no exponent, no trailing zeros.
public enum NumberFormat {
    /// `v` rounded to `digits` decimals, trailing zeros removed ("-68.5", "12").
    public static func fixed(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (v * scale).rounded() / scale
        if r == 0 { return "0" }
        let negative = r < 0
        let scaled = (abs(r) * scale).rounded()
        guard scaled < 9.0e15 else { return shortest(r) }
        let n = UInt64(scaled)
        let divisor = UInt64(scale)
        let whole = n / divisor
        var frac = n % divisor
        var s = (negative ? "-" : "") + String(whole)
        if frac > 0 {
            var width = digits
            while frac % 10 == 0 { frac /= 10; width -= 1 }
            let f = String(frac)
            s += "." + String(repeating: "0", count: width - f.count) + f
        }
        return s
    }

    /// The shortest representation that reads back to `v`, without exponent for ordinary magnitudes.
    public static func shortest(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}
