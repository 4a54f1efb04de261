import Foundation

/// Reads a GeoJSON FeatureCollection (RFC 7946) into features, without GDAL.
///
/// It reads the common case only: a FeatureCollection of Features whose properties are strings, numbers
/// booleans or nulls and whose geometries are the seven GeoJSON types, in WGS84. Anything it does not read
/// exactly as GDAL's GeoJSON driver would (a `crs` other than WGS84's, string feature ids, dates, nested
/// values, numbers out of the 64-bit range, a field mixing kinds of values, properties in an order that
/// leaves GDAL's field order open, malformed JSON) is `Unsupported`, so that the caller can hand the file to
/// GDAL and get GDAL's answer, messages included.
public enum GeoJSONReader {
    /// What the reader leaves to GDAL, and why.
    public struct Unsupported: Error, CustomStringConvertible, Sendable {
        public var reason: String
        public var description: String { reason }
    }

    /// One FeatureCollection: its `name` member, its property names in order of first appearance, its features.
    public struct Collection: Sendable {
        public var name: String?
        public var fields: [String]
        public var features: [Feature]
    }

    /// A top-level `crs` member (GeoJSON 2008): a named CRS, a link to a definition elsewhere, or something else.
    public enum CRSMember: Hashable, Sendable {
        case name(String)
        case link(href: String?, type: String?)
        /// Any other `type` (or none), as written.
        case other(type: String?)
    }

    /// The top-level `crs` member of `data`, nil when there is none (or it is null). Throws when `data` is not
    /// one JSON object. Reads only that member (every other value is skipped), so that what GDAL would do with it
    /// can be decided before GDAL sees the file.
    public static func crsMember(_ data: Data) throws(Unsupported) -> CRSMember? {
        let result: Result<CRSMember?, Unsupported> = data.withUnsafeBytes { raw in
            var p = JSONParser(raw.bindMemory(to: UInt8.self))
            do throws(Unsupported) { return .success(try p.topLevelCRS()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Reads `data` (UTF-8 JSON text).
    public static func read(_ data: Data) throws(Unsupported) -> Collection {
        let result: Result<Collection, Unsupported> = data.withUnsafeBytes { raw in
            var p = JSONParser(raw.bindMemory(to: UInt8.self))
            do throws(Unsupported) { return .success(try p.collection()) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

/// A byte-level JSON parser specialised for GeoJSON: coordinates are read straight into positions.
struct JSONParser {
    typealias Unsupported = GeoJSONReader.Unsupported
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Kinds of property values seen per field, to refuse what GDAL would type differently.
    struct FieldKinds {
        var index: Int
        var text = false, number = false, bool = false
        var mixed: Bool { [text, number, bool].filter { $0 }.count > 1 }
    }

    /// The `crs` names GDAL reads as WGS84 longitude, latitude (GeoJSON 2008; RFC 7946 dropped the member).
    static let wgs84Names: Set<String> = ["urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "OGC:CRS84", "CRS84"]

    mutating func collection() throws(Unsupported) -> GeoJSONReader.Collection {
        skipBOM()
        var name: String?
        var features: [Feature] = []
        var fields: [String] = []
        var kinds: [String: FieldKinds] = [:]
        var isCollection = false
        try object { (p: inout JSONParser, key: String) throws(Unsupported) in
            switch key {
            case "type": isCollection = try p.string() == "FeatureCollection"
            case "name":
                if try p.peek() == UInt8(ascii: "\"") { name = try p.string() } else { try p.skipValue() }
            case "crs": try p.crs()
            case "features":
                try p.array { (p: inout JSONParser) throws(Unsupported) in
                    features.append(try p.feature(fields: &fields, kinds: &kinds))
                }
            default: try p.skipValue()
            }
        }
        skipSpace()
        guard isCollection, i == bytes.count else { throw Unsupported(reason: "pas une FeatureCollection") }
        // Integers and reals in one field are reals for GDAL.
        if !realFields.isEmpty {
            for f in features.indices {
                for k in features[f].properties.indices {
                    if case .int(let n) = features[f].properties[k].value, realFields.contains(features[f].properties[k].key) {
                        features[f].properties[k].value = .double(Double(n))
                    }
                }
            }
        }
        return .init(name: name, fields: fields, features: features)
    }

    /// Fields that held at least one non-integer number (filled by `property`).
    var realFields: Set<String> = []

    /// The top-level `crs` member, every other member skipped.
    mutating func topLevelCRS() throws(Unsupported) -> GeoJSONReader.CRSMember? {
        skipBOM()
        var member: GeoJSONReader.CRSMember?
        try object { (p: inout JSONParser, key: String) throws(Unsupported) in
            guard key == "crs" else { try p.skipValue(); return }
            if try p.peekLiteral("null") { return }
            guard try p.peek() == UInt8(ascii: "{") else { try p.skipValue(); member = .other(type: nil); return }
            var type: String?, name: String?, href: String?, linkType: String?
            try p.object { (p: inout JSONParser, key: String) throws(Unsupported) in
                switch key {
                case "type" where try p.peek() == UInt8(ascii: "\""): type = try p.string()
                case "properties" where try p.peek() == UInt8(ascii: "{"):
                    try p.object { (p: inout JSONParser, key: String) throws(Unsupported) in
                        guard try p.peek() == UInt8(ascii: "\"") else { try p.skipValue(); return }
                        switch key {
                        case "name": name = try p.string()
                        case "href": href = try p.string()
                        case "type": linkType = try p.string()
                        default: try p.skipValue()
                        }
                    }
                default: try p.skipValue()
                }
            }
            switch type?.lowercased() {
            case "name": member = name.map { .name($0) } ?? .other(type: type)
            case "link": member = .link(href: href, type: linkType)
            default: member = href != nil ? .link(href: href, type: linkType) : .other(type: type)
            }
        }
        return member
    }

    /// A `crs` member naming WGS84 longitude, latitude; any other is left to GDAL.
    mutating func crs() throws(Unsupported) {
        var wgs84 = false
        try object { (p: inout JSONParser, key: String) throws(Unsupported) in
            guard key == "properties" else { try p.skipValue(); return }
            try p.object { (p: inout JSONParser, key: String) throws(Unsupported) in
                guard key == "name", try p.peek() == UInt8(ascii: "\"") else { try p.skipValue(); return }
                wgs84 = Self.wgs84Names.contains(try p.string())
            }
        }
        guard wgs84 else { throw Unsupported(reason: "membre crs autre que WGS84") }
    }

    mutating func feature(fields: inout [String], kinds: inout [String: FieldKinds]) throws(Unsupported) -> Feature {
        var geometry: Geometry?
        var properties: [(key: String, value: PropertyValue)] = []
        var isFeature = false
        try object { (p: inout JSONParser, key: String) throws(Unsupported) in
            switch key {
            case "type": isFeature = try p.string() == "Feature"
            case "id":
                guard try p.peek() != UInt8(ascii: "\"") else { throw Unsupported(reason: "identifiant d'entité textuel") }
                try p.skipValue()
            case "geometry": geometry = try p.peekLiteral("null") ? nil : p.geometry()
            case "properties":
                if try p.peekLiteral("null") { return }
                // GDAL orders fields by the order of properties across features (a graph of "comes after");
                // only an order that leaves no choice is read here: each feature's properties in the order
                // known so far, new ones only after the last field known.
                var previous = -1
                try p.object { (p: inout JSONParser, name: String) throws(Unsupported) in
                    let v = try p.property()
                    if properties.contains(where: { $0.key == name }) { throw Unsupported(reason: "propriété « \(name) » répétée") }
                    if kinds[name] == nil {
                        guard previous == fields.count - 1 else { throw Unsupported(reason: "ordre des champs ambigu (« \(name) »)") }
                        fields.append(name); kinds[name] = FieldKinds(index: fields.count - 1); previous = fields.count - 1
                    } else {
                        let index = kinds[name]!.index
                        guard index > previous else { throw Unsupported(reason: "ordre des champs ambigu (« \(name) »)") }
                        previous = index
                    }
                    switch v {
                    case .string: kinds[name]!.text = true
                    case .double: kinds[name]!.number = true; p.realFields.insert(name)
                    case .int: kinds[name]!.number = true
                    case .bool: kinds[name]!.bool = true
                    case .null: break
                    }
                    if kinds[name]!.mixed { throw Unsupported(reason: "champ « \(name) » aux valeurs de plusieurs sortes") }
                    properties.append((name, v))
                }
            default: try p.skipValue()
            }
        }
        guard isFeature else { throw Unsupported(reason: "entité sans type Feature") }
        return Feature(geometry: geometry, properties: properties)
    }

    /// A property value: string, number, boolean or null.
    mutating func property() throws(Unsupported) -> PropertyValue {
        switch try peek() {
        case UInt8(ascii: "\""):
            let s = try string()
            if Self.looksLikeDateOrTime(s) { throw Unsupported(reason: "date ou heure « \(s) »") }
            return .string(s)
        case UInt8(ascii: "n"):
            try literal("null"); return .null
        case UInt8(ascii: "t"):
            try literal("true"); return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false"); return .bool(false)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try number()
        default:
            throw Unsupported(reason: "valeur de propriété imbriquée")
        }
    }

    /// GDAL types such strings as Date, Time or DateTime.
    static func looksLikeDateOrTime(_ s: String) -> Bool {
        let u = Array(s.utf8.prefix(6))
        func digit(_ k: Int) -> Bool { k < u.count && u[k] >= 48 && u[k] <= 57 }
        if u.count >= 5, digit(0), digit(1), digit(2), digit(3), u[4] == UInt8(ascii: "-") || u[4] == UInt8(ascii: "/") { return true }
        if u.count >= 3, digit(0), (u[1] == UInt8(ascii: ":") && digit(2)) || (digit(1) && u.count >= 4 && u[2] == UInt8(ascii: ":")) { return true }
        return false
    }

    // MARK: Geometry

    mutating func geometry() throws(Unsupported) -> Geometry {
        var type: String?
        var coordinates: Nested?
        var members: [Geometry]?
        try object { (p: inout JSONParser, key: String) throws(Unsupported) in
            switch key {
            case "type": type = try p.string()
            case "coordinates": coordinates = try p.nested()
            case "geometries":
                var list: [Geometry] = []
                try p.array { (p: inout JSONParser) throws(Unsupported) in list.append(try p.geometry()) }
                members = list
            default: try p.skipValue()
            }
        }
        func need(_ depth: Int) throws(Unsupported) -> Nested {
            guard let coordinates, coordinates.depth == depth, !coordinates.isEmpty else {
                throw Unsupported(reason: "coordonnées de \(type ?? "?") mal formées")
            }
            return coordinates
        }
        switch type {
        case "Point": return .point(Point(try need(0).position))
        case "MultiPoint": return .multiPoint(MultiPoint(try need(1).positions))
        case "LineString": return .lineString(LineString(try need(1).positions))
        case "MultiLineString": return .multiLineString(MultiLineString(try need(2).lists.map { LineString($0.positions) }))
        case "Polygon": return .polygon(try need(2).polygon)
        case "MultiPolygon": return .multiPolygon(MultiPolygon(try need(3).lists.map { $0.polygon }))
        case "GeometryCollection":
            guard let members else { throw Unsupported(reason: "GeometryCollection sans geometries") }
            return .geometryCollection(members)
        default: throw Unsupported(reason: "type de géométrie \(type ?? "absent")")
        }
    }

    /// Nested coordinate arrays: a position (depth 0), a list of positions (depth 1), lists of those…
    enum Nested {
        case position(Position)
        case positions([Position])
        case lists([Nested], depth: Int)

        var depth: Int {
            switch self { case .position: 0; case .positions: 1; case .lists(_, let d): d }
        }
        var isEmpty: Bool {
            switch self { case .position: false; case .positions(let p): p.isEmpty; case .lists(let l, _): l.isEmpty || l.contains { $0.isEmpty } }
        }
        var position: Position { if case .position(let p) = self { p } else { Position(.nan, .nan) } }
        var positions: [Position] { if case .positions(let p) = self { p } else { [] } }
        var lists: [Nested] { if case .lists(let l, _) = self { l } else { [] } }
        var polygon: Polygon { Polygon(lists.map { LinearRing($0.positions) }) }
    }

    /// A coordinates member: positions (two numbers or more; the first two kept) nested to any depth.
    mutating func nested() throws(Unsupported) -> Nested {
        try expect(UInt8(ascii: "["))
        skipSpace()
        guard i < bytes.count else { throw Unsupported(reason: "fin de fichier") }
        if bytes[i] == UInt8(ascii: "]") { i += 1; return .positions([]) }
        if bytes[i] != UInt8(ascii: "[") {
            // A position.
            var values: [Double] = []
            while true {
                values.append(try double())
                if try separator(closing: UInt8(ascii: "]")) { break }
            }
            guard values.count >= 2 else { throw Unsupported(reason: "position à moins de deux nombres") }
            return .position(Position(values[0], values[1]))
        }
        var items: [Nested] = []
        while true {
            items.append(try nested())
            if try separator(closing: UInt8(ascii: "]")) { break }
        }
        let depth = items[0].depth
        guard items.allSatisfy({ $0.depth == depth }) else { throw Unsupported(reason: "coordonnées de profondeurs mêlées") }
        if depth == 0 { return .positions(items.map(\.position)) }
        return .lists(items, depth: depth + 1)
    }

    // MARK: JSON

    mutating func skipBOM() {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    mutating func peek() throws(Unsupported) -> UInt8 {
        skipSpace()
        guard i < bytes.count else { throw Unsupported(reason: "fin de fichier inattendue") }
        return bytes[i]
    }

    mutating func expect(_ c: UInt8) throws(Unsupported) {
        guard try peek() == c else { throw Unsupported(reason: "JSON mal formé à l'octet \(i)") }
        i += 1
    }

    /// After an item: true at the closing bracket (consumed), false after a comma.
    mutating func separator(closing: UInt8) throws(Unsupported) -> Bool {
        let c = try peek()
        i += 1
        if c == closing { return true }
        guard c == UInt8(ascii: ",") else { throw Unsupported(reason: "JSON mal formé à l'octet \(i - 1)") }
        return false
    }

    /// How deep objects and arrays are nested at `i`; beyond `maxDepth` the file is left to GDAL (whose parser
    /// bounds it too), so that no file can exhaust the stack.
    var depth = 0
    static let maxDepth = 256

    mutating func enter() throws(Unsupported) {
        depth += 1
        guard depth <= Self.maxDepth else { throw Unsupported(reason: "JSON imbriqué sur plus de \(Self.maxDepth) niveaux") }
    }

    mutating func object(_ member: (inout JSONParser, String) throws(Unsupported) -> Void) throws(Unsupported) {
        try enter()
        defer { depth -= 1 }
        try expect(UInt8(ascii: "{"))
        if try peek() == UInt8(ascii: "}") { i += 1; return }
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw Unsupported(reason: "JSON mal formé à l'octet \(i)") }
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
            if try separator(closing: UInt8(ascii: "}")) { return }
        }
    }

    mutating func array(_ item: (inout JSONParser) throws(Unsupported) -> Void) throws(Unsupported) {
        try enter()
        defer { depth -= 1 }
        try expect(UInt8(ascii: "["))
        if try peek() == UInt8(ascii: "]") { i += 1; return }
        while true {
            try item(&self)
            if try separator(closing: UInt8(ascii: "]")) { return }
        }
    }

    mutating func peekLiteral(_ word: StaticString) throws(Unsupported) -> Bool {
        guard try peek() == word.utf8Start[0] else { return false }
        try literal(word)
        return true
    }

    mutating func literal(_ word: StaticString) throws(Unsupported) {
        skipSpace()
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count, (0..<n).allSatisfy({ bytes[i + $0] == word.utf8Start[$0] }) else {
            throw Unsupported(reason: "JSON mal formé à l'octet \(i)")
        }
        i += n
    }

    mutating func skipValue() throws(Unsupported) {
        switch try peek() {
        case UInt8(ascii: "{"): try object { (p: inout JSONParser, _: String) throws(Unsupported) in try p.skipValue() }
        case UInt8(ascii: "["): try array { (p: inout JSONParser) throws(Unsupported) in try p.skipValue() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try double()
        }
    }

    mutating func string() throws(Unsupported) -> String {
        try expect(UInt8(ascii: "\""))
        let start = i
        var escaped = false
        while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
            if bytes[i] == UInt8(ascii: "\\") { escaped = true; i += 1 }
            i += 1
        }
        guard i < bytes.count else { throw Unsupported(reason: "chaîne non terminée") }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<i])
        i += 1
        if !escaped {
            guard let s = String(validating: raw, as: UTF8.self) else { throw Unsupported(reason: "texte non UTF-8") }
            return s
        }
        return try Self.unescape(raw)
    }

    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) throws(Unsupported) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var k = 0
        func hex4(_ at: Int) throws(Unsupported) -> UInt32 {
            guard at + 4 <= raw.count, let v = UInt32(String(decoding: raw[at..<at + 4], as: UTF8.self), radix: 16) else {
                throw Unsupported(reason: "échappement \\u mal formé")
            }
            return v
        }
        while k < raw.count {
            let c = raw[k]
            guard c == UInt8(ascii: "\\") else { out.append(c); k += 1; continue }
            guard k + 1 < raw.count else { throw Unsupported(reason: "échappement mal formé") }
            let e = raw[k + 1]
            k += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(k)
                k += 4
                if (0xD800..<0xDC00).contains(scalar), k + 6 <= raw.count, raw[k] == UInt8(ascii: "\\"), raw[k + 1] == UInt8(ascii: "u") {
                    let low = try hex4(k + 2)
                    guard (0xDC00..<0xE000).contains(low) else { throw Unsupported(reason: "paire de substitution mal formée") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    k += 6
                }
                guard let u = Unicode.Scalar(scalar) else { throw Unsupported(reason: "caractère \\u invalide") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw Unsupported(reason: "échappement \\\(Character(Unicode.Scalar(e))) inconnu")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw Unsupported(reason: "texte non UTF-8") }
        return s
    }

    /// The bounds of the number at `i` (JSON grammar), and whether it is an integer literal.
    mutating func numberToken() throws(Unsupported) -> (Range<Int>, integer: Bool) {
        skipSpace()
        let start = i
        var integer = true
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let digits = i
        while i < bytes.count {
            let c = bytes[i]
            if c >= 48 && c <= 57 { i += 1; continue }
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                integer = false; i += 1; continue
            }
            break
        }
        guard i > digits else { throw Unsupported(reason: "JSON mal formé à l'octet \(start)") }
        return (start..<i, integer)
    }

    mutating func double() throws(Unsupported) -> Double {
        let (range, _) = try numberToken()
        return try Self.parseDouble(UnsafeBufferPointer(rebasing: bytes[range]))
    }

    mutating func number() throws(Unsupported) -> PropertyValue {
        let (range, integer) = try numberToken()
        let token = UnsafeBufferPointer(rebasing: bytes[range])
        if integer {
            guard let n = Int(String(decoding: token, as: UTF8.self)) else { throw Unsupported(reason: "entier hors de 64 bits") }
            return .int(n)
        }
        return .double(try Self.parseDouble(token))
    }

    /// `strtod` on the token (the same correctly rounded conversion GDAL's reader makes).
    static func parseDouble(_ token: UnsafeBufferPointer<UInt8>) throws(Unsupported) -> Double {
        var buffer = (0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64)
        guard token.count < MemoryLayout.size(ofValue: buffer) else {
            guard let d = Double(String(decoding: token, as: UTF8.self)) else { throw Unsupported(reason: "nombre mal formé") }
            return d
        }
        let result: Double? = withUnsafeMutableBytes(of: &buffer) { b in
            let c = b.bindMemory(to: CChar.self)
            for (k, byte) in token.enumerated() { c[k] = CChar(bitPattern: byte) }
            c[token.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let d = strtod(c.baseAddress!, &end)
            return end == c.baseAddress! + token.count ? d : nil
        }
        guard let result else { throw Unsupported(reason: "nombre mal formé") }
        return result
    }
}
