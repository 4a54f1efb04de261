import Foundation
@testable import PortraitImport
import PortraitModel
import PortraitStore
import PortraitTestSupport
import Testing

/// A header is found, or asked for; it is never built from a data row (a register's designation « Municipalité » in a
/// data cell had made a row of Adstock the header).
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct HeaderNotFromDataTests {
    static func store() throws -> String {
        let s = tempDir("portrait-headers") + "/bsl.gpkg"
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/bsl_municipalites_sda.geojson"), options: .init(level: .municipality), storePath: s)
        return s
    }

    /// The MAMH register as published, joined by name without `--name-field`: its `munnom` is known.
    @Test func theMAMHRegisterByName() throws {
        let s = try Self.store()
        var o = IndicatorImportOptions(vintage: 2025, valueFields: ["population=mpopul"])
        o.join = .name
        let r = try IndicatorImporter.run(file: try RealData.path("population/mamh_repertoire_municipalites_2025.csv"), options: o, storePath: s)
        #expect(r.join.rows == 1285)
        let pop = try Stores.open(s).indicatorValues("population", vintage: 2025, level: .municipality)
        #expect(pop.count > 100 && pop["10043"]?.number != nil, "Rimouski joined by its name")
    }

    /// A names table whose name column is not a known one: refused with its real header, never a data row, and the option to give.
    @Test func anUnknownNameColumnIsAskedFor() throws {
        let s = try Self.store()
        let file = try write("id,appellation,genre,habitants\r\n31056,Adstock,Municipalité,3170\r\n10043,Rimouski,Ville,48935\r\n", "registre.csv", in: tempDir())
        var o = IndicatorImportOptions(vintage: 2025, valueFields: ["population=habitants"])
        o.join = .name
        do {
            _ = try IndicatorImporter.run(file: file, options: o, storePath: s)
            Issue.record("an unknown name column should be asked for")
        } catch let e as ImportError {
            #expect(e.description.contains("id, appellation, genre, habitants") && e.description.contains("--name-field"), "\(e)")
            #expect(!e.description.contains("31056, Adstock"), "a data row taken for the header: \(e)")
        }
        o.nameField = "appellation"
        let r = try IndicatorImporter.run(file: file, options: o, storePath: s)
        #expect(r.join.matchedByName.contains { $0.code == "10043" } || r.join.matched >= 1)
    }
}
