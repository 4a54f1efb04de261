import Foundation
import PortraitDemo
import PortraitModel
import PortraitStore
import PortraitTestSupport
import Testing

/// The SYNTHETIC companions shipped in geodata/bsl/synthetique/ are what the generator writes from the real dataset
/// (PORTRAIT_UPDATE_COMPANIONS=1 writes them again), and the example store gets them, never a store of real data.
@Suite(.serialized) struct ExampleStoreTests {
    static let real: Result<String, any Error> = Result { try ShippedBSL.load(into: tempDir("portrait-example") + "/bsl.gpkg") }
    static let shipped = projectRoot + "/geodata/bsl/synthetique"

    @Test func theShippedCompanionsAreTheGenerators() throws {
        let dir = tempDir("portrait-example")
        let written = try ExampleStore.writeCompanions(from: try Self.real.get(), directory: dir)
        #expect(written.count == 4 && written.allSatisfy { $0.hasSuffix("_SYNTHETIQUE.csv") })
        if ProcessInfo.processInfo.environment["PORTRAIT_UPDATE_COMPANIONS"] == "1" {
            try? FileManager.default.createDirectory(atPath: Self.shipped, withIntermediateDirectories: true)
            for f in written { try Data(contentsOf: URL(fileURLWithPath: f)).write(to: URL(fileURLWithPath: Self.shipped + "/" + (f as NSString).lastPathComponent)) }
        }
        for f in written {
            let name = (f as NSString).lastPathComponent
            let committed = try Data(contentsOf: URL(fileURLWithPath: Self.shipped + "/" + name))
            #expect(committed == (try Data(contentsOf: URL(fileURLWithPath: f))), "\(name): regenerate with PORTRAIT_UPDATE_COMPANIONS=1")
        }
    }

    @Test func theExampleStoreHoldsBothAndTheRealStoreNeither() throws {
        let example = tempDir("portrait-example") + "/exemple.gpkg"
        let r = try ExampleStore.load(storePath: example, dataset: projectRoot + "/geodata/bsl")
        #expect(r.created)
        let s = try Stores.open(example)
        let ive = try s.vintages("ive"), population = try s.vintages("population")
        #expect(ive == [2020, 2018, 2016] && population == [2021, 2016])
        #expect(try s.indicatorValues("jeunes_0_17", vintage: 2021, level: .municipality).count > 100)
        // The real 2021 census is untouched beside the companions.
        let real = try Stores.open(try Self.real.get())
        let a = try s.indicatorValues("population", vintage: 2021, level: .municipality)
        let b = try real.indicatorValues("population", vintage: 2021, level: .municipality)
        #expect(a == b)
        // Again into the example store: allowed. Into the store of real data: refused, the store unchanged.
        #expect(!(try ExampleStore.load(storePath: example, dataset: projectRoot + "/geodata/bsl").created))
        let before = fingerprint(try Self.real.get())
        #expect { try ExampleStore.load(storePath: try Self.real.get(), dataset: projectRoot + "/geodata/bsl") } throws: {
            "\($0)".contains("contient des données réelles") && ErrorKind.of($0) == .invalidInput
        }
        #expect(fingerprint(try Self.real.get()) == before)
        #expect(try real.vintages("ive").isEmpty)
    }
}
