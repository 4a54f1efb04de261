import Foundation
import PortraitGeometry
import PortraitImport
import PortraitModel
import PortraitSpatial
import PortraitTerritory

/// A small, entirely FICTIONAL territory generated deterministically: one
/// region, three MRC, 24 municipalities and TNO on a wavy shoreline, and
/// three aquatic TNO in the "river". Every name is invented; every feature
/// carries `fictif: true`. It goes through the same importers as real data.
public enum DemoTerritory {
    public static let regionCode = "99"
    public static let regionName = "Région fictive de la Côte-aux-Exemples"
    public static let label = "Territoire fictif de démonstration (données inventées par Portrait)"

    static let lon0 = -67.6, dx = 0.2, lat0 = 49.0, dy = 0.12
    static let columns = 8, rows = 3
    static let waterNorth = 49.56

    struct MRC { let code: String; let name: String; let columns: Range<Int> }
    static let mrcs = [
        MRC(code: "991", name: "La Côte-Fictive", columns: 0..<3),
        MRC(code: "992", name: "Les Plateaux-Inventés", columns: 3..<6),
        MRC(code: "993", name: "Le Haut-Pays-de-Démo", columns: 6..<8),
    ]

    /// Names and designations by MRC, rows from the shore inland, columns west to east.
    static let names: [[[(String, String)]]] = [
        [[("L'Anse-aux-Exemples", "V"), ("Sainte-Fiction-sur-Mer", "M"), ("Baie-des-Modèles", "M")],
         [("Saint-Inventé", "P"), ("Lac-Imaginaire", "M"), ("Val-des-Songes", "M")],
         [("Sainte-Hypothèse", "P"), ("Mont-Prototype", "M"), ("Rang-Double-de-l'Essai", "P")]],
        [[("Port-Démo", "V"), ("Grève-Fictive", "M"), ("Saint-Simulé-du-Fleuve", "P")],
         [("Notre-Dame-des-Données", "P"), ("Saint-Échantillon", "M"), ("Lac-Aléatoire", "M")],
         [("Saint-Gabarit", "M"), ("Canton-Factice", "CT"), ("Saint-Brouillon", "P")]],
        [[("Cap-Chimère", "V"), ("Petite-Anse-Irréelle", "VL")],
         [("Saint-Postulat", "M"), ("Lac-Mirage", "M")],
         [("Forêt-Inventée", "NO"), ("Haute-Chimère", "NO")]],
    ]

    /// The shoreline's latitude at `lon`: a gentle wave with bays.
    static func coastLat(_ lon: Double) -> Double {
        let t = (lon - lon0) / (dx * Double(columns))
        return 49.40 + 0.025 * sin(2 * .pi * t * 3) + 0.012 * cos(2 * .pi * t * 7)
    }

    /// Shoreline positions from `fromLon` to `toLon`, every 0.025°.
    static func shore(_ fromLon: Double, _ toLon: Double) -> [Position] {
        let steps = Int(((toLon - fromLon) / 0.025).rounded())
        return (0...steps).map { i in
            let x = fromLon + Double(i) * 0.025
            return Position(round6(x), round6(coastLat(x)))
        }
    }

    static func round6(_ v: Double) -> Double { (v * 1e6).rounded() / 1e6 }

    static func cell(_ col: Int, _ rowFromShore: Int) -> Polygon {
        let x0 = round6(lon0 + Double(col) * dx), x1 = round6(lon0 + Double(col + 1) * dx)
        let inlandRow = rows - 1 - rowFromShore
        let y0 = round6(lat0 + Double(inlandRow) * dy)
        if rowFromShore == 0 {
            // North edge follows the shoreline, west to east; ring goes counter-clockwise.
            let north = shore(x0, x1)
            return Polygon(exterior: [Position(x0, y0), Position(x1, y0)] + north.reversed() + [Position(x0, y0)])
        }
        let y1 = round6(lat0 + Double(inlandRow + 1) * dy)
        return Polygon(exterior: [Position(x0, y0), Position(x1, y0), Position(x1, y1), Position(x0, y1), Position(x0, y0)])
    }

    static func water(_ cols: Range<Int>) -> Polygon {
        let x0 = round6(lon0 + Double(cols.lowerBound) * dx), x1 = round6(lon0 + Double(cols.upperBound) * dx)
        return Polygon(exterior: shore(x0, x1) + [Position(x1, waterNorth), Position(x0, waterNorth), Position(x0, coastLat(x0)).rounded6])
    }

    /// The demo layers as GeoJSON feature collections: file name → collection.
    public static func layers() throws -> [(file: String, collection: FeatureCollection)] {
        var municipalities: [Feature] = []
        var mrcFeatures: [Feature] = []
        var all: [Geometry] = []
        let common: [(key: String, value: PropertyValue)] = [("fictif", .bool(true))]
        for (m, mrc) in mrcs.enumerated() {
            var parts: [Geometry] = []
            var k = 0
            for row in 0..<rows {
                for (j, col) in mrc.columns.enumerated() {
                    k += 1
                    let (name, des) = names[m][row][j]
                    let code = "9\(m + 1)\(String(format: "%03d", k * 5))"
                    let g = Geometry.polygon(cell(col, row))
                    parts.append(g)
                    municipalities.append(Feature(geometry: g, properties: [
                        ("MUS_CO_GEO", .string(code)), ("MUS_NM_MUN", .string(name)), ("MUS_CO_DES", .string(des)),
                        ("MRS_CO_MRC", .string(mrc.code)), ("MRS_NM_MRC", .string(mrc.name)),
                        ("RES_CO_REG", .string(regionCode)), ("RES_NM_REG", .string(regionName)),
                    ] + common))
                }
            }
            let w = Geometry.polygon(water(mrc.columns))
            parts.append(w)
            municipalities.append(Feature(geometry: w, properties: [
                ("MUS_CO_GEO", .string("9\(m + 1)990")), ("MUS_NM_MUN", .string("TNO aquatique de la MRC \(mrc.name)")),
                ("MUS_CO_DES", .string("G")), ("MRS_CO_MRC", .string(mrc.code)), ("MRS_NM_MRC", .string(mrc.name)),
                ("RES_CO_REG", .string(regionCode)), ("RES_NM_REG", .string(regionName)),
            ] + common))
            let union = try Geometry.union(parts)
            all.append(union)
            mrcFeatures.append(Feature(geometry: union, properties: [
                ("MRS_CO_MRC", .string(mrc.code)), ("MRS_NM_MRC", .string(mrc.name)),
                ("MRS_CO_REG", .string(regionCode)), ("MRS_NM_REG", .string(regionName)),
            ] + common))
        }
        let region = Feature(geometry: try Geometry.union(all), properties: [
            ("RES_CO_REG", .string(regionCode)), ("RES_NM_REG", .string(regionName)),
        ] + common)
        let coast = Feature(geometry: .lineString(LineString(shore(lon0, round6(lon0 + Double(columns) * dx)))),
                            properties: [("nom", .string("Trait de côte fictif"))] + common)
        let meta: [(key: String, value: PropertyValue)] = [("name", .string(label)),
                                                            ("attribution", .string("Données fictives générées par Portrait"))]
        return [
            ("demo_regions.geojson", FeatureCollection([region], metadata: meta)),
            ("demo_mrc.geojson", FeatureCollection(mrcFeatures, metadata: meta)),
            ("demo_municipalites.geojson", FeatureCollection(municipalities, metadata: meta)),
            ("demo_trait_de_cote.geojson", FeatureCollection([coast], metadata: meta)),
        ]
    }

    /// Fictional indicator tables, written the way official files are (semicolons,
    /// decimal commas, spaces between thousands, `x` for suppressed values).
    public static func tables() -> [(file: String, text: String)] {
        var pop = "code;nom;population_2021;superficie_km2\n"
        var ive = "Code géographique;Localité;Indice de vitalité économique\n"
        var dep = "Code municipal;Municipalité;Quintile matériel;Quintile social\n"
        for (m, mrc) in mrcs.enumerated() {
            var k = 0
            for row in 0..<rows {
                for j in 0..<mrc.columns.count {
                    k += 1
                    let (name, des) = names[m][row][j]
                    let code = "9\(m + 1)\(String(format: "%03d", k * 5))"
                    let seed = (m + 1) * 31 + k * 17 + row * 7
                    let people: Int = switch des {
                    case "V": 5_200 + (seed * 613) % 9_000
                    case "NO": seed % 40
                    default: 250 + (seed * 389) % (row == 0 ? 2_900 : 1_600)
                    }
                    // The land area of the fictional cell itself (Québec Lambert), so that its density is its own.
                    let area = (try? Geometry.polygon(cell(mrc.columns.lowerBound + j, row)).areaSquareMetres()).map { $0 / 1e6 }
                    pop += "\(code);\(name);\(NumberText.format(Double(people)));\(area.map { NumberText.format($0, decimals: 2) } ?? "")\n"
                    guard des != "NO" else { continue }
                    let base = row == 0 ? 2.5 : (row == 1 ? -2.0 : -6.5)
                    let v = base + Double((seed * 37) % 60) / 10 - 3
                    ive += "\(code);\(name);\(k == 4 && m == 1 ? "x" : NumberText.format(v, decimals: 2))\n"
                    let q = 1 + (seed + row * 2) % 5
                    dep += "\(code);\(name);\(min(5, q + row));\(1 + (seed * 3) % 5)\n"
                }
            }
        }
        return [("demo_population_fictive.csv", pop), ("demo_ive_fictif.csv", ive), ("demo_defavorisation_fictive.csv", dep)]
    }

    /// Writes the demo files into `directory`; returns their paths.
    @discardableResult
    public static func write(to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let writer = GeoJSONWriter(precision: 6)
        let files = try layers().map { ($0.file, writer.string($0.collection)) } + tables()
        return try files.map { file, text in
            let path = (directory as NSString).appendingPathComponent(file)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    /// Generates the demo files, imports them into the store through the
    /// ordinary importers, and classifies the coast.
    public static func load(storePath: String) throws -> CoastReport {
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("portrait-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(to: dir)
        func path(_ f: String) -> String { (dir as NSString).appendingPathComponent(f) }
        _ = try BoundaryImporter.run(file: path("demo_regions.geojson"), options: .init(level: .region), storePath: storePath, demo: true)
        _ = try BoundaryImporter.run(file: path("demo_mrc.geojson"), options: .init(level: .mrc), storePath: storePath, demo: true)
        _ = try BoundaryImporter.run(file: path("demo_municipalites.geojson"), options: .init(level: .municipality), storePath: storePath, demo: true)
        _ = try CoastlineImporter.run(file: path("demo_trait_de_cote.geojson"), storePath: storePath)
        let coast = try CoastClassifier.run(storePath: storePath)
        _ = try IndicatorImporter.run(file: path("demo_population_fictive.csv"),
                                      options: .init(vintage: 2021, valueFields: ["population=population_2021", "superficie_terre=superficie_km2"],
                                                     source: label), storePath: storePath)
        _ = try IndicatorImporter.run(file: path("demo_ive_fictif.csv"), options: .init(vintage: 2020, preset: .isqIVE, source: label),
                                      storePath: storePath)
        _ = try IndicatorImporter.run(file: path("demo_defavorisation_fictive.csv"),
                                      options: .init(vintage: 2021, preset: .inspqDeprivation, source: label), storePath: storePath)
        return coast
    }
}

extension Position {
    var rounded6: Position { Position(DemoTerritory.round6(x), DemoTerritory.round6(y)) }
}
