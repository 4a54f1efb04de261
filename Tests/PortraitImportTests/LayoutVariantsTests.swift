import Foundation
import PortraitGeometry
@testable import PortraitImport
import PortraitModel
import PortraitStore
import PortraitTestSupport
import PropertyBased
import Testing

/// One SYNTHETIC table written in generated layouts (encodings, line ends, separators, quoting, decimal marks,
/// thousands separators, titles, notes, trailing empty columns): every variant reads to the same rows and
/// values, and joins with the same report, as the plain UTF-8/LF/comma version.
@Suite struct LayoutVariantsTests {
    static let header = ["Code géographique", "Nom de la municipalité", "Population 2021", "Superficie (km²)", "Taux (%)", "IVE", "Remarque"]
    /// Names with separators, quotes and a line break; values with thousands and decimals; suppressed and missing cells.
    static let rows: [[String]] = [
        ["7005", "Sainte-Marguerite-Marie", "183", "85.97", "12.5", "-6.5", "données synthétiques"],
        ["07010", "Sainte-Florence, Municipalité (MÉ)", "367", "103.48", "x", "2.25", "virgule, point-virgule ; fin"],
        ["07018", "Causapscal", "2147", "161.61", "7", "-12.75", ""],
        ["10043", "Rimouski, Ville (V)", "48935", "1339.13", "33.333", "10.5", "deux\nlignes"],
        ["11040", "L'Isle-Verte", "1400", "1234.5", "", "0", "guillemets \"entre\" eux"],
        ["12072", "Saint-Louis-du-Ha! Ha!", "0", "0.5", "100", "-0.25", "tab\there"],
    ]
    static let numeric: Set<Int> = [2, 3, 4, 5]

    static let options: IndicatorImportOptions = {
        var o = IndicatorImportOptions(vintage: 2021, codeField: "Code géographique",
                                       valueFields: ["population=Population 2021", "superficie=Superficie (km²)", "taux=Taux (%)", "ive=IVE"])
        o.unit = nil
        return o
    }()

    static let units: [TerritorialUnit] = ["07005", "07010", "07018", "10043", "11040", "12072", "13062"].map {
        TerritorialUnit(level: .municipality, code: $0, name: "Unité \($0)", designation: "M", mrcCode: String($0.prefix(2)), regionCode: "01",
                        areaKm2: 100, geometry: MultiPolygon([]))
    }

    static let definitions: [String: IndicatorDefinition] = {
        var taux = IndicatorDefinition.named("taux")
        taux.unit = "%"
        return ["population": .named("population"), "superficie": .named("superficie"), "taux": taux, "ive": .named("ive")]
    }()

    /// The table read and joined, the layout left out of the report.
    static func readAndJoin(_ data: Data, name: String, dir: String) throws -> (rows: [IndicatorTable.Row], report: JoinReport, layout: TextLayout?) {
        let path = (dir as NSString).appendingPathComponent(name)
        try data.write(to: URL(fileURLWithPath: path))
        var o = options
        o.unit = nil
        let table = try IndicatorTable.read(file: path, options: o)
        let joined = IndicatorJoin.run(table, units: units, definitions: definitions, level: .municipality, codeChanges: .builtIn,
                                       matchNames: false, storedPopulation: [:])
        var report = joined.report
        let layout = report.layout
        report.layout = nil
        // Line numbers move with title rows and line breaks: rows are compared by code and values.
        return (table.rows.map { var r = $0; r.row = 0; return r }, report, layout)
    }

    static func normalised(_ r: JoinReport) -> JoinReport {
        var r = r
        r.units = r.units.map { var u = $0; u.rows = []; return u }
        return r
    }

    static func expected(dir: String) throws -> (rows: [IndicatorTable.Row], report: JoinReport) {
        let plain = TableLayout().write(header: header, rows: rows, numeric: numeric)
        let r = try readAndJoin(plain, name: "synthetique_simple.csv", dir: dir)
        return (r.rows, normalised(r.report))
    }

    @Test func thePlainVersionReadsAsWritten() throws {
        let dir = tempDir()
        let e = try Self.expected(dir: dir)
        #expect(e.rows.count == 6)
        #expect(e.rows.map(\.code) == ["07005", "07010", "07018", "10043", "11040", "12072"])
        #expect(e.rows[3].values["population"] == .value(48_935) && e.rows[3].values["superficie"] == .value(1_339.13))
        #expect(e.rows[1].values["taux"] == .suppressed && e.rows[4].values["taux"] == .missing && e.rows[0].values["ive"] == .value(-6.5))
        #expect(e.report.matched == 6 && e.report.units.first { $0.code == "13062" }?.how == "sans_correspondance")
    }

    /// The layout of seed `n`: every dimension drawn from it.
    static func layout(_ n: Int) -> TableLayout {
        var g = SplitMix(n)
        var l = TableLayout()
        l.encoding = TableLayout.Encoding.allCases[g.next(6)]
        l.lineEnd = TableLayout.LineEnd.allCases[g.next(3)]
        l.finalLineEnd = g.next(3) != 0
        l.separator = [",", ";", "\t"][g.next(3)]
        l.quoting = TableLayout.Quoting.allCases[g.next(2)]
        l.decimalComma = g.next(2) == 0
        l.thousands = TableLayout.Thousands.allCases[g.next(4)]
        l.titleRows = g.next(3)
        l.notes = g.next(3)
        l.trailingEmpty = g.next(3)
        l.blankRowBeforeNotes = true
        return l
    }

    /// A GeoPackage with the table's units, and the values an import stores from `file`.
    static func stored(_ file: String, store: String, vintage: Int) throws -> [String: [String: CellValue]] {
        var o = options
        o.vintage = vintage
        o.unit = nil
        _ = try IndicatorImporter.run(file: file, options: o, storePath: store)
        let s = try Stores.open(store)
        var out: [String: [String: CellValue]] = [:]
        for name in ["population", "superficie", "taux", "ive"] { out[name] = try s.indicatorValues(name, vintage: vintage, level: .municipality) }
        return out
    }

    /// At least 2,000 generated layouts (`PORTRAIT_VARIANTS` for more): same rows, same values, same join report;
    /// one in fifty is also imported into a store, whose stored values must be the plain version's.
    @Test func everyLayoutReadsTheSame() async throws {
        let dir = tempDir()
        let e = try Self.expected(dir: dir)
        let store = dir + "/synthetique_variantes.gpkg"
        let features = Self.units.enumerated().map { i, u in
            sdaFeature(u.code, u.name, mrc: String(u.code.prefix(2)), ring: ring(-68 + Double(i) * 0.2, 48.0))
        }
        _ = try BoundaryImporter.run(file: try write(collection(features), "synthetique_unites.geojson", in: dir), options: .init(level: .municipality),
                                     storePath: store)
        let plain = dir + "/synthetique_simple.csv"
        let baseline = try Self.stored(plain, store: store, vintage: 1900)
        #expect(baseline["population"]?["10043"] == .value(48_935) && baseline["taux"]?["07010"] == .suppressed)
        let imported = Locked(0)
        let count = Int(ProcessInfo.processInfo.environment["PORTRAIT_VARIANTS"] ?? "") ?? 2_000
        let seen = Locked(Set<String>())
        await propertyCheck(count: count, input: Gen.int(in: 0...Int.max)) { seed in
            let layout = Self.layout(seed)
            let data = layout.write(header: Self.header, rows: Self.rows, numeric: Self.numeric)
            do {
                let r = try Self.readAndJoin(data, name: "synthetique_variante_\(UUID().uuidString).csv", dir: dir)
                #expect(r.rows == e.rows, "\(layout)")
                #expect(Self.normalised(r.report) == e.report, "\(layout)")
                #expect(r.layout?.headerLine == 1 + layout.titleRows + 0, "\(layout)")
                #expect(r.layout?.separator == String(layout.separator), "\(layout)")
                #expect(r.layout?.finalLineEnd == layout.finalLineEnd || layout.notes > 0, "\(layout)")
                seen.withLock { _ = $0.insert(r.layout?.summaryFR ?? "") }
                if seed % 50 == 0 {
                    let n = imported.withLock { $0 += 1; return $0 }
                    let file = dir + "/synthetique_importee_\(n).csv"
                    try data.write(to: URL(fileURLWithPath: file))
                    #expect(try Self.stored(file, store: store, vintage: 1900 + n) == baseline, "\(layout)")
                }
            } catch {
                Issue.record("\(layout) : \(error)")
            }
        }
        #expect(imported.withLock { $0 } >= 10, "trop peu de variantes importées dans un magasin")
        // The generator reached every encoding, separator and line end.
        let summaries = seen.withLock { $0 }
        for enc in ["UTF-8,", "UTF-8 (BOM)", "UTF-16LE", "UTF-16BE", "Windows-1252", "ISO-8859-1"] {
            #expect(summaries.contains { $0.hasPrefix(enc) }, "\(enc) jamais produit")
        }
        for end in ["CRLF", "LF", "CR"] {
            #expect(summaries.contains { $0.hasSuffix("fins de ligne \(end)") || $0.contains("fins de ligne \(end),") }, "\(end)")
        }
    }
}

/// A small deterministic generator (SplitMix64) so that one seed gives one layout.
struct SplitMix {
    var state: UInt64
    init(_ seed: Int) { state = UInt64(bitPattern: Int64(seed)) }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

/// A lock for results gathered across property-check runs.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body(&value)
    }
}
