import Foundation
import PortraitTestSupport
import Testing

/// The store is the one door: SQL and the GeoPackage's table names live under Sources/PortraitStore only.
struct ArchitectureTests {
    static let sources = projectRoot + "/Sources"

    static func swiftFiles() throws -> [String] {
        let e = try #require(FileManager.default.enumerator(atPath: sources))
        return e.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted()
    }

    @Test func sqlOnlyInTheStore() throws {
        let sql = try NSRegularExpression(pattern: #""(SELECT|INSERT|UPDATE|DELETE|CREATE) "#)
        let tables = try NSRegularExpression(pattern: #""(indicator_values|join_reports|mobilisation_targets|gpkg_[a-z_]+|rtree_[a-z_]*)""#)
        let files = try Self.swiftFiles()
        #expect(files.count > 50)
        var offenders: [String] = []
        for f in files where !f.hasPrefix("PortraitStore/") {
            let text = try String(contentsOfFile: Self.sources + "/" + f, encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            if sql.firstMatch(in: text, range: range) != nil || tables.firstMatch(in: text, range: range) != nil { offenders.append(f) }
        }
        #expect(offenders.isEmpty, "SQL or table names outside the store: \(offenders)")
    }

    /// No target above the store reaches for its SQLite or GeoPackage types.
    @Test func noRawStoreTypesAbove() throws {
        var offenders: [String] = []
        for f in try Self.swiftFiles() where !f.hasPrefix("PortraitStore/") {
            let text = try String(contentsOfFile: Self.sources + "/" + f, encoding: .utf8)
            for word in ["SQLiteDatabase", "SQLValue", "GeoPackage(", "GeoPackage.", ".package.", "import CSQLite"] where text.contains(word) {
                offenders.append("\(f): \(word)")
            }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }
}
