import PortraitGeometry
import PortraitModel
@testable import PortraitTerritory
import Testing

/// The domain's pure parts: ranking gaps, flagging need, covering by mobilisations. No store.
struct PureDomainTests {
    static func unit(_ code: String, mrc: String = "10", region: String = "01") -> TerritorialUnit {
        TerritorialUnit(level: .municipality, code: code, name: "M\(code)", mrcCode: mrc, regionCode: region, areaKm2: 1,
                        geometry: MultiPolygon([]))
    }

    @Test func gapsAreRankedByDistanceTimesNeed() {
        let units = ["A", "B", "C", "D"].map { Self.unit($0) }
        let rows = GapAnalysis.rank(units: units, nearestKm: [5, 30, 25, nil], countWithin: [2, 0, 0, 0], twoStepScores: nil,
                                    population: [100, 50, 80, 10], needOf: ["C": true], maxKm: 20)
        #expect(rows.all.count == 4)
        // B: 30/20 = 1.5; C: 25/20 × 2 = 2.5 (high need); D has no service at all: infinite priority comes first.
        #expect(rows.gaps.map(\.code) == ["D", "C", "B"])
        #expect(rows.gaps.first { $0.code == "C" }?.priority == 2.5)
        #expect(rows.all.first?.highNeed == false && rows.all.first?.nearestKm == 5)
    }

    @Test func nobodyLivingThereMeansNoPriority() {
        let rows = GapAnalysis.rank(units: [Self.unit("A")], nearestKm: [40], countWithin: [0], twoStepScores: nil,
                                    population: [0], needOf: nil, maxKm: 20)
        #expect(rows.gaps.first?.priority == 0 && rows.gaps.first?.highNeed == nil)
    }

    @Test func needFromThresholdOrWorstQuintile() {
        let ive = IndicatorDefinition.named("ive")   // threshold: below −5
        let flags = GapAnalysis.needFlags(["A": .value(-6), "B": .value(2), "C": .suppressed], definition: ive)
        #expect(flags == ["A": true, "B": false])
        let custom = IndicatorDefinition.named("chomage")   // a rate without threshold: the top quintile is the need
        let values = Dictionary(uniqueKeysWithValues: (1...10).map { ("U\($0)", CellValue.value(Double($0))) })
        let top = GapAnalysis.needFlags(values, definition: custom).filter(\.value).keys.sorted()
        #expect(top == ["U10", "U9"])
    }

    @Test func coverageCountsTablesAndEnjeuxWithoutTable() {
        let units = [Self.unit("A", mrc: "10"), Self.unit("B", mrc: "11")]
        let mobilisations = [
            Mobilisation(id: "r", name: "Régionale", territoryType: .region, territoryCode: "01", regionCode: "01",
                         start: 2015, enjeux: ["réussite éducative", "habitation"]),
            Mobilisation(id: "m", name: "MRC 10", territoryType: .mrc, territoryCode: "10", regionCode: "01", start: 2020, end: 2022,
                         enjeux: ["sécurité alimentaire"]),
        ]
        let c = MobilisationCoverage.compute(units: units, mobilisations: mobilisations)
        #expect(c.map(\.tableCount) == [2, 1])
        #expect(c[1].enjeuxWithoutTable == ["sécurité alimentaire"])
        #expect(MobilisationCoverage.compute(units: units, mobilisations: mobilisations, year: 2019).map(\.tableCount) == [1, 1])
    }
}
