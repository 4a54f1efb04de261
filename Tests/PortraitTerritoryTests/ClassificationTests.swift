import PortraitDemo
import PortraitGeometry
import PortraitImport
import PortraitModel
import PortraitSpatial
import PortraitStore
@testable import PortraitTerritory
import PortraitTestSupport
import Testing

/// Expected breaks come from mapclassify 2.10.0 on the same 20 numbers
/// (Quantiles, EqualInterval, FisherJenks, UserDefined; see the command in BENCHMARKS.md).
struct ClassificationTests {
    static let y = [-12.4, -8.1, -6.5, -5.2, -4.9, -3.3, -2.0, -1.1, 0.0, 0.4, 1.7, 2.2, 3.8, 4.1, 5.5, 6.0, 7.9, 9.3, 12.6, 15.0]

    func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-9 }
    }

    @Test func quintilesLikeMapclassify() {
        let c = Classification(values: Self.y.shuffled(), method: .quantiles, k: 5)
        #expect(close(c.breaks, [-4.96, -0.44, 2.84, 6.38, 15.0]))
        #expect(c.classes.map(\.count) == [4, 4, 4, 4, 4])
    }

    @Test func equalIntervalLikeMapclassify() {
        let c = Classification(values: Self.y, method: .equalInterval, k: 5)
        #expect(close(c.breaks, [-6.92, -1.44, 4.04, 9.52, 15.0]))
        #expect(c.classes.map(\.count) == [2, 5, 6, 5, 2])
    }

    @Test func fisherJenksLikeMapclassify() {
        let c = Classification(values: Self.y, method: .jenks, k: 5)
        #expect(close(c.breaks, [-12.4, -3.3, 2.2, 9.3, 15.0]))
        #expect(c.classes.map(\.count) == [1, 5, 6, 6, 2])
        #expect(close(Classification(values: Self.y, method: .jenks, k: 3).breaks, [-3.3, 6.0, 15.0]))
    }

    @Test func fixedThresholdOfMinusFive() {
        let c = Classification(values: Self.y, method: .thresholds, thresholds: [-5, 0])
        #expect(close(c.breaks, [-5, 0, 15]))
        #expect(c.classes.map(\.count) == [4, 5, 11])
        #expect(c.classOf(-5) == 1 && c.classOf(-4.99) == 2 && c.classOf(20) == 3)
        #expect(c.classes[0].labelFR == "−12,4 à −5")
        #expect(c.classes[1].labelFR == "plus de −5 à 0")
        #expect(c.classes[1].labelEN == "over -5 to 0")
    }

    @Test func quintileValuesAsClasses() {
        let c = Classification.ordinal(values: [1, 2, 2, 3, 4, 5, 5, 5])
        #expect(c.classes.map(\.count) == [1, 2, 1, 1, 3])
        #expect(c.classes.map(\.labelFR) == ["quintile 1", "quintile 2", "quintile 3", "quintile 4", "quintile 5"])
    }

    @Test func deterministicAndEmptySafe() {
        #expect(Classification(values: Self.y, method: .jenks) == Classification(values: Self.y.reversed(), method: .jenks))
        #expect(Classification(values: []).classes.isEmpty)
        #expect(Classification(values: [3, 3, 3]).breaks == [3])
    }

    @Test func frenchNumbers() {
        #expect(NumberText.format(199_039) == "199 039")
        #expect(NumberText.format(12.54, decimals: 1) == "12,5")
        #expect(NumberText.format(199_039, language: .en) == "199,039")
        #expect(NumberText.percent(0.5321) == "53,2 %")
    }
}

/// The former MAMROT reading of the IVE: "très dévitalisées" strictly below −5.
struct ThresholdClassificationTests {
    @Test func belowMinusFiveIsStrict() throws {
        let ive = try #require(IndicatorDefinition.catalogue["ive"]?.threshold)
        let c = Classification.threshold(ive, values: [-7.3, -5.2, -5.0, -4.99, 3.1])
        #expect(c.method == .threshold && c.classes.count == 2)
        #expect(c.classOf(-5.2) == 1 && c.classOf(-5.0) == 2 && c.classOf(-4.99) == 2 && c.classOf(-5.000001) == 1)
        #expect(c.classes.map(\.count) == [2, 3])
        #expect(c.classes[0].labelFR == "très dévitalisées (IVE < −5)" && c.classes[1].labelFR.hasPrefix("autres"))
    }

    @Test func atLeastFourForDeprivation() throws {
        let q = try #require(IndicatorDefinition.catalogue["defavorisation_materielle"]?.threshold)
        let c = Classification.threshold(q, values: [1, 2, 3, 4, 5, 5])
        #expect(c.classOf(3) == 1 && c.classOf(4) == 2 && c.classes.map(\.count) == [3, 3])
        #expect(c.classes[1].labelFR == "quintiles 4 et 5 (défavorisées)")
    }
}
