import Foundation
import PortraitImport
import PortraitModel
import PortraitStore
import PortraitTestSupport
import Testing

/// A code drawn in two MRC or two regions is refused, naming the code, its parents and its features; it is never
/// dissolved into one unit that straddles them.
struct StraddlingTests {
    let dir = tempDir("portrait-straddling")

    /// An SDA municipal feature that names its MRC but not its region.
    func feature(_ code: String, _ name: String, mrc: String, _ r: String) -> String {
        #"{"type":"Feature","properties":{"MUS_CO_GEO":"\#(code)","MUS_NM_MUN":"\#(name)","MUS_CO_DES":"M","MRS_CO_MRC":"\#(mrc)"},"geometry":{"type":"Polygon","coordinates":[\#(r)]}}"#
    }
    var store: String { dir + "/s.gpkg" }

    /// The province layer (synthetic polygons, real codes, MRC and regions) with Sainte-Jeanne-d'Arc of La Mitis
    /// (09020) given 92015, the code of its namesake in Maria-Chapdelaine, as the derived register does: one code,
    /// one name, drawn in MRC 09 of region 01 and in MRC 92 of region 02.
    @Test(.enabled(if: RealData.shouldRun, RealData.skipReason))
    func theProvinceLayerWithOneCodeInTwoRegionsIsRefused() throws {
        let source = try RealData.path("synthetic/qc_municipalites_voronoi_synthetique.geojson")
        let text = try String(contentsOfFile: source, encoding: .utf8)
        #expect(text.components(separatedBy: #""MUS_CO_GEO":"92015""#).count == 2, "92015 once in the layer")
        #expect(text.components(separatedBy: #""MUS_CO_GEO":"09020""#).count == 2, "09020 once in the layer")
        let f = try write(text.replacingOccurrences(of: #""MUS_CO_GEO":"09020""#, with: #""MUS_CO_GEO":"92015""#), "qc_92015_deux_fois.geojson", in: dir)
        expectRefused(["92015", "Sainte-Jeanne-d'Arc", "MRC 09, région 01", "MRC 92, région 02", "entité ", "rien n'a été écrit"], store: store) {
            try BoundaryImporter.run(file: f, options: .init(level: .municipality), storePath: store)
        }
        #expect(!FileManager.default.fileExists(atPath: store), "a refused first import leaves no store")
    }

    /// The same refusal on a store that already holds the MRC layer: the store is unchanged, and a layer whose
    /// same-code features stay in one MRC is still dissolved.
    @Test func twoMRCsByTheirCodesAreRefusedAndOneMRCIsDissolved() throws {
        let mrc = try write(collection([
            #"{"type":"Feature","properties":{"MRS_CO_MRC":"09","MRS_NM_MRC":"La Mitis","MRS_CO_REG":"01"},"geometry":{"type":"Polygon","coordinates":[\#(ring(-68.5, 48.4, 0.5))]}}"#,
            #"{"type":"Feature","properties":{"MRS_CO_MRC":"92","MRS_NM_MRC":"Maria-Chapdelaine","MRS_CO_REG":"02"},"geometry":{"type":"Polygon","coordinates":[\#(ring(-72.5, 48.8, 0.5))]}}"#,
        ]), "mrc.geojson", in: dir)
        _ = try BoundaryImporter.run(file: mrc, options: .init(level: .mrc), storePath: store)
        // The municipal rows give the MRC only: the regions come from the MRC layer.
        let twoMRC = try write(collection([
            feature("92015", "Sainte-Jeanne-d'Arc", mrc: "09", ring(-68.4, 48.5)),
            feature("92010", "Péribonka", mrc: "92", ring(-72.3, 48.9)),
            feature("92015", "Sainte-Jeanne-d'Arc", mrc: "92", ring(-72.2, 49.0)),
        ]), "mun.geojson", in: dir)
        expectRefused(["code 92015 (Sainte-Jeanne-d'Arc)", "entité 1 dans MRC 09, région 01", "entité 3 dans MRC 92, région 02"], store: store) {
            try BoundaryImporter.run(file: twoMRC, options: .init(level: .municipality), storePath: store)
        }
        let oneMRC = try write(collection([
            feature("92015", "Sainte-Jeanne-d'Arc", mrc: "92", ring(-72.4, 48.9)),
            feature("92015", "Sainte-Jeanne-d'Arc", mrc: "92", ring(-72.2, 49.0)),
        ]), "mun1.geojson", in: dir)
        let r = try BoundaryImporter.run(file: oneMRC, options: .init(level: .municipality), storePath: store)
        #expect(r.log.units == 1 && r.log.dissolved == 1)
        let u = try #require(try Stores.open(store).unit(.municipality, code: "92015"))
        #expect(u.mrcCode == "92" && u.regionCode == "02")
    }

    /// A layer with no parent fields: each feature's parents are found by containment in the layers the store holds.
    @Test func featuresInTwoMRCsByContainmentAreRefused() throws {
        let regions = try write(collection([
            #"{"type":"Feature","properties":{"RES_CO_REG":"01","RES_NM_REG":"Bas-Saint-Laurent"},"geometry":{"type":"Polygon","coordinates":[\#(ring(-69, 48, 1.5))]}}"#,
            #"{"type":"Feature","properties":{"RES_CO_REG":"02","RES_NM_REG":"Saguenay–Lac-Saint-Jean"},"geometry":{"type":"Polygon","coordinates":[\#(ring(-73, 48.2, 1.5))]}}"#,
        ]), "reg.geojson", in: dir)
        _ = try BoundaryImporter.run(file: regions, options: .init(level: .region), storePath: store)
        let m = try write(collection([
            #"{"type":"Feature","properties":{"no":"92015","nom":"Sainte-Jeanne-d'Arc"},"geometry":{"type":"Polygon","coordinates":[\#(ring(-68.4, 48.5))]}}"#,
            #"{"type":"Feature","properties":{"no":"92015","nom":"Sainte-Jeanne-d'Arc"},"geometry":{"type":"Polygon","coordinates":[\#(ring(-72.2, 49.0))]}}"#,
        ]), "custom.geojson", in: dir)
        expectRefused(["code 92015", "entité 1 dans région 01", "entité 2 dans région 02"], store: store) {
            try BoundaryImporter.run(file: m, options: .init(level: .municipality, preset: .custom, fieldOverrides: ["code": "no", "name": "nom"]),
                                     storePath: store)
        }
        // An MRC layer drawn across the two regions by its codes is refused the same way.
        let mrc = try write(collection([
            #"{"type":"Feature","properties":{"MRS_CO_MRC":"92","MRS_NM_MRC":"Maria-Chapdelaine","MRS_CO_REG":"02"},"geometry":{"type":"Polygon","coordinates":[\#(ring(-72.5, 48.8, 0.5))]}}"#,
            #"{"type":"Feature","properties":{"MRS_CO_MRC":"92","MRS_NM_MRC":"Maria-Chapdelaine","MRS_CO_REG":"01"},"geometry":{"type":"Polygon","coordinates":[\#(ring(-68.5, 48.4, 0.5))]}}"#,
        ]), "mrc2.geojson", in: dir)
        expectRefused(["code 92 (Maria-Chapdelaine)", "entité 1 dans région 02", "entité 2 dans région 01"], store: store) {
            try BoundaryImporter.run(file: mrc, options: .init(level: .mrc), storePath: store)
        }
    }
}
