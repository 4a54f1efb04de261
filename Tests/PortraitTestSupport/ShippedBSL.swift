import Foundation
import PortraitDemo
import PortraitImport
import PortraitModel

/// The compact real Bas-Saint-Laurent dataset the project ships (`geodata/bsl/`), loaded as `scripts/load-bsl`
/// does: boundaries of the municipalities, MRC and regions, the shoreline and the coast split, the 2021 census,
/// the public schools, the health facilities and the mobilisations. Always there (never ../shared).
public enum ShippedBSL {
    public static let directory = projectRoot + "/geodata/bsl"

    /// A new store at `path` holding the dataset.
    public static func load(into path: String) throws -> String {
        try ExampleStore.loadRealDataset(from: directory, into: path)
        return path
    }
}
