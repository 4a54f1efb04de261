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

    @Test func gapsAreRankedByPeopleTimesKilometresBeyond() {
        let units = ["A", "B", "C", "D", "E", "F", "G"].map { Self.unit($0) }
        let rows = GapAnalysis.rank(units: units, nearestKm: [5, 30, 25, nil, 51, 60, 40], countWithin: [2, 0, 0, 0, 0, 0, 0], twoStepScores: nil,
                                    population: [100, 50, 80, 10, 5, nil, 0], needOf: ["C": true], maxKm: 20)
        #expect(rows.all.count == 7)
        // D: inhabited, no service at all: first. Then B: 50 × (30 − 20) = 500; C: 80 × 5 × 2 = 800 (high need);
        // E: 5 × 31 = 155 (far, but five inhabitants). F: population unknown, no priority. G: nobody lives there, last.
        #expect(rows.gaps.map(\.code) == ["D", "C", "B", "E", "F", "G"])
        #expect(rows.gaps.first { $0.code == "C" }?.priority == 800)
        #expect(rows.gaps.first { $0.code == "B" }?.priority == 500)
        #expect(rows.gaps.first { $0.code == "F" }?.priority == nil && rows.gaps.first { $0.code == "D" }?.priority == nil)
        #expect(rows.all.first?.highNeed == false && rows.all.first?.nearestKm == 5)
    }

    @Test func nobodyLivingThereComesLast() {
        let rows = GapAnalysis.rank(units: [Self.unit("A"), Self.unit("B")], nearestKm: [90, 21], countWithin: [0, 0], twoStepScores: nil,
                                    population: [0, 3], needOf: nil, maxKm: 20)
        #expect(rows.gaps.map(\.code) == ["B", "A"])
        #expect(rows.gaps.last?.priority == 0 && rows.gaps.last?.highNeed == nil)
        #expect(GapAnalysis.priorityFormula["fr"]?.contains("population × (distance") == true && GapAnalysis.priorityFormula["en"] != nil)
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
