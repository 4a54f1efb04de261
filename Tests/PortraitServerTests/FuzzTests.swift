import Foundation
import Hummingbird
import HummingbirdTesting
import PropertyBased
@testable import PortraitServer
import PortraitTestSupport
import Testing

/// Random and hostile paths and query strings against every route of the OpenAPI document, on a store holding every
/// kind of data (`HostileInputTests.stores`): never a 5xx, never a crash (property-based, swift-property-based; the failing input and its seed are printed).
@Suite(.serialized) struct FuzzTests {
    /// Values that have broken servers: empty, huge, not numbers, encoded traversal, NUL, bad percent escapes, markup, SQL.
    static let hostile: [String] = [
        "", "0", "01", "99", "991", "-1", "+1", "1.5", "999999999999999999999999999", "1e309", "-1e309", "NaN", "nan", "inf", "-inf", "0x1F",
        "%00", "a%00b", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..", "%2E%2E", "%FF%FE", "%", "%zz", "%C3%A9", "%F0%9F%99%82",
        "%3Cscript%3E", "%27%3B%20DROP%20TABLE%20imports%3B--", String(repeating: "9", count: 4_000), String(repeating: "a", count: 16_000),
        "a%20b", "%5C", "null", "true", "%5B%5D", "%7B%7D", "region", "municipalities", "vitalite", "99.svg", "6", "21.mvt", "x.json",
        "-67.6,49.0,-66.0,49.56", "-200,-100,200,100", "1,2,3", "fr", "en", "pdf", "html", "md", "json", "xml",
        // The extremes of numbers: ±2⁶³ and beyond, ±1e400, NaN, hex, blanks, years at and past the calendar's ends.
        "-9223372036854775808", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e400", "-1e400", "Infinity",
        "0x7FFFFFFFFFFFFFFF", "0b101", "%20", "%09", "1900", "2100", "2101", "1899", "-5", "inf,-inf,inf,inf", "nan,nan,nan,nan",
        "2021-13-45T99:99:99Z", "../..", "01-cosmoss", "10070", "10", "haut-pays-de-la-neigette", "sante", "ecole",
    ]

    /// A URL-safe token: a hostile value, or random printable ASCII percent-encoded.
    static let token = Gen.oneOf(
        Gen<String?>.element(of: hostile).map { $0! },
        Gen.ascii.string(of: 0...40).map { s in s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" })

    static let routes = OpenAPI.routes.map { r in (path: r.path, query: r.parameters.filter { $0.location == "query" }.map(\.name)) }

    /// Builds a request: a documented route with its path parameters replaced, its query parameters given hostile
    /// values (some repeated, some unknown), sometimes an extra path segment.
    static func uri(route: Int, tokens: [String], extra: Bool) -> String {
        let r = routes[route % routes.count]
        var t = tokens.makeIterator()
        func next() -> String { t.next() ?? "" }
        var path = r.path.split(separator: "/", omittingEmptySubsequences: false).map { seg -> String in
            seg.hasPrefix("{") ? next() : String(seg)
        }.joined(separator: "/")
        if extra { path += "/" + next() }
        var q: [String] = []
        for name in r.query + ["inconnu"] where !next().isEmpty || Bool.random() {
            q.append("\(name)=\(next())")
            if Bool.random() { q.append("\(name)=\(next())") }   // repeated
        }
        return (path.isEmpty ? "/" : path) + (q.isEmpty ? "" : "?" + q.joined(separator: "&"))
    }

    /// The BSL data with every kind of data a route can meet: a plan with its measurements, a custom territory,
    /// services (and so gaps) and the tiles made on demand.
    static func app() throws -> some ApplicationProtocol {
        buildApplication(try HostileInputTests.options(try HostileInputTests.stores.get(.geopackage)))
    }

    @Test func neverA5xx() async throws {
        try await Self.app().test(.router) { client in
            await propertyCheck(count: 400, input: Gen.int(in: 0...1_000), Self.token.array(of: 12), Gen.bool(0.2)) { route, tokens, extra in
                let uri = Self.uri(route: route, tokens: tokens, extra: extra)
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status.code < 500, "\(uri) → \(r.status.code) \(String(buffer: r.body).prefix(300))")
                }
            }
        }
    }

    /// The same through a real socket on loopback: the HTTP parser in front of the router too.
    @Test func neverA5xxOnTheWire() async throws {
        try await Self.app().test(.live) { client in
            await propertyCheck(count: 120, input: Gen.int(in: 0...1_000), Self.token.array(of: 12), Gen.bool(0.2)) { route, tokens, extra in
                let uri = Self.uri(route: route, tokens: tokens, extra: extra)
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status.code < 500, "\(uri) → \(r.status.code)")
                }
            }
        }
    }
}
