import PortraitGeometry
@testable import PortraitImport
import PortraitModel
import Testing

/// The pure join: rows + units + code changes → values and a join report. No file, no store.
struct IndicatorJoinTests {
    static func unit(_ code: String, _ name: String) -> TerritorialUnit {
        TerritorialUnit(level: .municipality, code: code, name: name, areaKm2: 1, geometry: MultiPolygon([]))
    }

    static let units = [unit("13062", "Lac-des-Aigles"), unit("10043", "Rimouski"), unit("10070", "Saint-Fabien"),
                        unit("12072", "Rivière-du-Loup")]
    static let definitions = ["population": IndicatorDefinition.named("population"), "taux": IndicatorDefinition.named("taux")]

    static func row(_ n: Int, _ code: String, _ name: String? = nil, population: CellValue, taux: CellValue) -> IndicatorTable.Row {
        IndicatorTable.Row(row: n, code: code, name: name, values: ["population": population, "taux": taux])
    }

    @Test func mergedCodesAreSummedOrWeighted() {
        // 11020 (100 inhabitants, 10 %) and 13060 (300, 20 %) now form 13062.
        let table = IndicatorTable(columns: [("population", "pop"), ("taux", "t")], rows: [
            Self.row(2, "11020", population: .value(100), taux: .value(10)),
            Self.row(3, "13060", population: .value(300), taux: .value(20)),
            Self.row(4, "10043", population: .value(48_935), taux: .suppressed),
        ])
        let r = IndicatorJoin.run(table, units: Self.units, definitions: Self.definitions, level: .municipality,
                                  codeChanges: .builtIn, matchNames: false, storedPopulation: [:])
        let byCode = Dictionary(uniqueKeysWithValues: r.values.map { ($0.code, $0.values) })
        #expect(r.values.map(\.code) == ["13062", "10043"])
        #expect(byCode["13062"]?["population"] == .value(400))
        #expect(byCode["13062"]?["taux"] == .value(17.5))   // (10 × 100 + 20 × 300) / 400
        #expect(byCode["10043"]?["taux"] == .suppressed)
        #expect(r.report.rows == 3 && r.report.matched == 2)
        #expect(r.report.merged.map(\.oldCodes) == [["11020", "13060"]])
        #expect(r.report.withoutValue.map(\.code) == ["10070", "12072"])
        #expect(r.report.suppressed["taux"] == 1 && r.report.missing["taux"] == 0)
    }

    /// The median income of 13062 is no mean of the medians of 11020 and 13060: it is left without a value, and the
    /// merge's note says why; the population beside it is summed.
    @Test func aMedianOfMergedCodesIsNotComputed() {
        let table = IndicatorTable(columns: [("population", "pop"), ("revenu_median_menage", "r"), ("ive", "i")], rows: [
            IndicatorTable.Row(row: 2, code: "11020", values: ["population": .value(100), "revenu_median_menage": .value(50_000), "ive": .value(-3)]),
            IndicatorTable.Row(row: 3, code: "13060", values: ["population": .value(300), "revenu_median_menage": .value(60_000), "ive": .value(1)]),
        ])
        let defs = ["population": IndicatorDefinition.named("population"), "revenu_median_menage": IndicatorDefinition.named("revenu_median_menage"),
                    "ive": IndicatorDefinition.named("ive")]
        let r = IndicatorJoin.run(table, units: Self.units, definitions: defs, level: .municipality,
                                  codeChanges: .builtIn, matchNames: false, storedPopulation: [:])
        let v = r.values.first { $0.code == "13062" }?.values
        #expect(v?["population"] == .value(400))
        #expect(v?["revenu_median_menage"] == .missing && v?["ive"] == .missing)
        #expect(r.report.merged.first?.notes.contains { $0.hasPrefix("revenu_median_menage : une médiane ne se calcule pas") } == true,
                "\(r.report.merged)")
        #expect(r.report.missing["revenu_median_menage"] == 1)
        #expect(IndicatorDefinition.named("revenu_median_menage").combinesFromParts == false
                && IndicatorDefinition.named("taux").combinesFromParts && IndicatorDefinition.named("population").combinesFromParts)
    }

    @Test func aSuppressedPartMakesTheTotalSuppressed() {
        let table = IndicatorTable(columns: [("population", "pop")], rows: [
            Self.row(2, "14080", population: .value(500), taux: .missing),
            Self.row(3, "14085", population: .suppressed, taux: .missing),
            Self.row(4, "14090", population: .value(1_600), taux: .missing),
        ])
        let units = [Self.unit("14082", "La Pocatière")]
        let r = IndicatorJoin.run(table, units: units, definitions: Self.definitions, level: .municipality,
                                  codeChanges: .builtIn, matchNames: false, storedPopulation: [:])
        #expect(r.values.first?.values["population"] == .suppressed)
    }

    @Test func storedPopulationWeightsWhenTheFileHasNone() {
        let table = IndicatorTable(columns: [("taux", "t")], rows: [
            IndicatorTable.Row(row: 2, code: "11020", values: ["taux": .value(10)]),
            IndicatorTable.Row(row: 3, code: "13060", values: ["taux": .value(20)]),
        ])
        let r = IndicatorJoin.run(table, units: Self.units, definitions: Self.definitions, level: .municipality,
                                  codeChanges: .builtIn, matchNames: false, storedPopulation: ["11020": 300, "13060": 100])
        #expect(r.values.first?.values["taux"] == .value(12.5))
    }

    @Test func namesMatchOnlyWhenAskedAndUnique() {
        let table = IndicatorTable(columns: [("taux", "t")], rows: [
            IndicatorTable.Row(row: 2, code: "99999", name: "RIVIERE DU LOUP", values: ["taux": .value(1)]),
            IndicatorTable.Row(row: 3, code: "88888", name: "Ailleurs", values: ["taux": .value(2)]),
        ])
        let off = IndicatorJoin.run(table, units: Self.units, definitions: Self.definitions, level: .municipality,
                                    codeChanges: .none, matchNames: false, storedPopulation: [:])
        #expect(off.values.isEmpty && off.report.unmatched.map(\.row) == [2, 3])
        let on = IndicatorJoin.run(table, units: Self.units, definitions: Self.definitions, level: .municipality,
                                   codeChanges: .none, matchNames: true, storedPopulation: [:])
        #expect(on.values.map(\.code) == ["12072"])
        #expect(on.report.matchedByName.map(\.code) == ["99999"] && on.report.unmatched.map(\.code) == ["88888"])
    }

    @Test func duplicatesReadFromTheFileAreReported() {
        let table = IndicatorTable(columns: [("taux", "t")], rows: [IndicatorTable.Row(row: 2, code: "10043", values: ["taux": .value(1)])],
                                   rowsRead: 2, duplicates: [JoinReport.Duplicate(code: "10043", rows: [2, 3])])
        let r = IndicatorJoin.run(table, units: Self.units, definitions: Self.definitions, level: .municipality,
                                  codeChanges: .none, matchNames: false, storedPopulation: [:])
        #expect(r.report.rows == 2 && r.report.duplicates.first?.rows == [2, 3])
    }
}
