import Foundation
import PortraitImport
import PortraitModel

/// The compact real Bas-Saint-Laurent dataset the project ships (`geodata/bsl/`), loaded as `scripts/load-bsl`
/// does: boundaries of the municipalities, MRC and regions, the shoreline and the coast split, the 2021 census,
/// the public schools, the health facilities and the mobilisations. Always there (never ../shared).
public enum ShippedBSL {
    public static let directory = projectRoot + "/geodata/bsl"

    /// A new store at `path` holding the dataset.
    public static func load(into path: String) throws -> String {
        let d = directory
        _ = try BoundaryImporter.run(file: d + "/bsl_municipalites_sda.geojson", options: .init(level: .municipality), storePath: path)
        _ = try BoundaryImporter.run(file: d + "/bsl_mrc_sda.geojson", options: .init(level: .mrc), storePath: path)
        _ = try BoundaryImporter.run(file: d + "/qc_regions_sda.geojson", options: .init(level: .region), storePath: path)
        _ = try CoastlineImporter.run(file: d + "/gshhg_h_stlawrence_bsl.geojson", storePath: path)
        _ = try CoastClassifier.run(storePath: path)
        _ = try IndicatorImporter.run(file: d + "/recensement_2021_sdr_bsl.csv", options: .init(vintage: 2021, preset: .statcanCensus), storePath: path)
        _ = try ServiceImporter.run(file: d + "/bsl_ecoles_publiques_meq.geojson", category: "ecole", preset: .meqSchools, vintage: 2022, storePath: path)
        _ = try ServiceImporter.run(file: d + "/bsl_installations_sante_odhf.csv", category: "sante", preset: .odhf, vintage: 2020, storePath: path)
        _ = try MobilisationImporter.run(file: d + "/mobilisations_bsl.csv", storePath: path)
        return path
    }
}
