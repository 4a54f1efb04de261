import Foundation
import PortraitModel
import PortraitStore

/// What `portrait import roads` did.
public struct RoadImportReport: Codable, Sendable {
    public var log: ImportLogEntry
    public var network: RoadReadReport
}

/// `portrait import roads FILE`: reads a road network and replaces the store's, graph included, in one transaction.
public enum RoadImporter {
    public static func run(file: String, options: RoadReadOptions = RoadReadOptions(), vintage: Int? = nil, storePath: String) throws -> RoadImportReport {
        for f in [options.speedField, options.classField, options.onewayField, options.layer].compactMap({ $0 }) {
            try NameRule.checkField(f, option: "field")
        }
        if let vintage, !PlanDate.years.contains(vintage) {
            throw ImportError(.missingValue, file: file, "--vintage \(vintage) : une année de \(PlanDate.years.lowerBound) à \(PlanDate.years.upperBound)")
        }
        let (network, read) = try RoadReader.read(file: file, options: options)
        let report = String(decoding: try JSONEncoder.stable.encode(read), as: UTF8.self)
        var entry = ImportLogEntry(kind: "roads", level: nil, sourceFile: ImportWriter.sourceFile(file), sha256: try FileDigest.sha256(file),
                                   featuresRead: read.linesRead, units: read.edges, repaired: 0, dissolved: 0,
                                   warnings: read.withoutSpeed > 0 ? ["\(read.withoutSpeed) route(s) sans vitesse lisible, à la vitesse de leur classe (lignes \(read.withoutSpeedRows.map(String.init).joined(separator: ", ")))"] : [],
                                   parameters: ["nodes": String(read.nodes), "edges": String(read.edges), "components": String(read.components),
                                                "length_km": String(format: "%.1f", read.lengthKm),
                                                "outside_largest": String(format: "%.4f", read.lengthOutsideLargest),
                                                "vintage": vintage.map(String.init) ?? ""])
        let log = try Stores.writing(to: storePath) { store throws -> ImportLogEntry in
            let id = try store.logImport(entry)
            entry.id = id
            entry.replaced = try store.replaceRoadNetwork(network, vintage: vintage, report: report, importID: id)
            entry.inserted = network.edges.count
            try store.updateImport(id, entry)
            return entry
        }
        return RoadImportReport(log: log, network: read)
    }
}
