import Foundation
@testable import PortraitImport
import PortraitModel
import PortraitStore
import PortraitTestSupport
import Testing

/// Every preset reads a file in its publisher's layout: a real file of ../shared/geodata, a fixture built from the
/// publisher's bytes in ../shared/geodata/formats, or, where no real file is available here, a fixture that names the
/// real file it follows. A preset added without its layout here fails `everyPresetHasItsLayout`.
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct PresetLayoutsTests {
    /// Each preset and the file its test reads.
    static let layouts: [String: String] = [
        "boundaries/sda": "boundaries/bsl_municipalites_sda.geojson, boundaries/qc-mrc.geojson, boundaries/qc-regions.geojson (MRNF, SDA)",
        "boundaries/statcan": "Statistics Canada's 2021 census subdivision boundary file (lcsd000a21a_e): its attributes CSDUID, DGUID, CSDNAME, "
            + "CSDTYPE, LANDAREA, PRUID and its CRS (Statistics Canada Lambert, EPSG:3347), as a Shapefile; polygons and names from the real SDA file",
        "boundaries/custom": "boundaries/bsl_municipalites_sda.geojson, every role given with --field",
        "indicators/statcan-census": "population/recensement_2021_sdr_bsl.csv (Statistics Canada, 98-401-X2021020 extract)",
        "indicators/statcan-profile": "formats/statcan_98-401-X2021_profil_long_format.csv (Statistics Canada's own rows)",
        "indicators/isq-ive": "SYNTHETIC values in the ISQ's table of the index by locality (Indice de vitalité économique des localités, "
            + "XLSX, a sheet per vintage: Code géographique, Localité, MRC, the index, its rank and its quintile); no real ISQ file is available here",
        "indicators/inspq-deprivation": "SYNTHETIC values in the INSPQ's table by municipality (Code municipal, Municipalité, Quintile matériel, "
            + "Quintile social; CSV, UTF-8 with BOM, CRLF); no real INSPQ file is available here",
        "services/meq-schools": "services/bsl_ecoles_publiques_meq.geojson (Ministère de l'Éducation)",
        "services/odhf": "services/qc_installations_sante_odhf.csv (Statistics Canada, ODHF v1.1)",
        "services/custom": "services/bsl_collegial_public.geojson (Données Québec), its name given with --field",
    ]

    @Test func everyPresetHasItsLayout() {
        let presets = BoundaryPreset.allCases.map { "boundaries/\($0.rawValue)" } + IndicatorPreset.allCases.map { "indicators/\($0.rawValue)" }
            + ServicePreset.allCases.map { "services/\($0.rawValue)" }
        #expect(Set(presets) == Set(Self.layouts.keys))
    }

    static func bslStore(_ dir: String) throws -> String {
        let s = dir + "/bsl.gpkg"
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/bsl_municipalites_sda.geojson"), options: .init(level: .municipality), storePath: s)
        return s
    }

    // MARK: boundaries

    @Test func sdaAtEveryLevel() throws {
        let dir = tempDir("portrait-presets"), s = dir + "/qc.gpkg"
        let regions = try BoundaryImporter.run(file: try RealData.path("boundaries/qc-regions.geojson"), options: .init(level: .region), storePath: s)
        #expect(regions.log.units == 17)
        let mrc = try BoundaryImporter.run(file: try RealData.path("boundaries/qc-mrc.geojson"), options: .init(level: .mrc), storePath: s)
        #expect(mrc.log.dissolved >= 2, "981 and 982 are drawn twice each")
        let municipalities = try BoundaryImporter.run(file: try RealData.path("boundaries/bsl_municipalites_sda.geojson"), options: .init(level: .municipality), storePath: s)
        #expect(municipalities.log.units == 132 && municipalities.hierarchy?.unresolved == 0)
        let store = try Stores.open(s)
        let bsl = try store.units(.municipality, withGeometry: false)
        #expect(bsl.allSatisfy { $0.regionCode == "01" } && Set(bsl.compactMap(\.mrcCode)).count == 8)
        #expect(try store.units(.mrc, withGeometry: false).filter { $0.regionCode == "01" }.count == 8)
    }

    /// The real SDA municipalities written in Statistics Canada's 2021 CSD layout and projection (without the 5 aquatic
    /// TNO, which are no census subdivisions): the same units, names and designations, their MRC found in the real MRC layer.
    @Test(.enabled(if: ExternalTool.find(["ogr2ogr"]) != nil || RealData.isCI, "ogr2ogr (gdal-bin) absent"))
    func statcanBoundaryFile() throws {
        let dir = tempDir("portrait-presets")
        let sda = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: try RealData.path("boundaries/bsl_municipalites_sda.geojson")))) as! [String: Any]
        let toCSDType = Dictionary(uniqueKeysWithValues: Designation.fromStatCanCSDType.filter { $0.key != "R" }.map { ($0.value, $0.key) })
        var features: [[String: Any]] = []
        var expected: [String: (name: String, designation: String, mrc: String)] = [:]
        for f in sda["features"] as! [[String: Any]] {
            let p = f["properties"] as! [String: Any]
            let code = p["MUS_CO_GEO"] as! String, des = p["MUS_CO_DES"] as! String
            guard des != Designation.aquatic else { continue }
            let uid = "24" + code
            features.append(["type": "Feature", "geometry": f["geometry"]!,
                             "properties": ["CSDUID": uid, "DGUID": "2021A0005" + uid, "CSDNAME": p["MUS_NM_MUN"]!, "CSDTYPE": toCSDType[des]!,
                                            "LANDAREA": p["area_km2_incl_water"] ?? 0, "PRUID": "24"]])
            expected[code] = (p["MUS_NM_MUN"] as! String, des, p["MRS_CO_MRC"] as! String)
        }
        let wgs = dir + "/csd_wgs84.geojson"
        try JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": features]).write(to: URL(fileURLWithPath: wgs))
        let shp = dir + "/synthetique_lcsd000a21a_e.shp"
        _ = try ExternalTool.run(try #require(ExternalTool.find(["ogr2ogr"])), ["-f", "ESRI Shapefile", "-t_srs", "EPSG:3347", shp, wgs])

        let s = dir + "/s.gpkg"
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/qc-mrc.geojson"), options: .init(level: .mrc), storePath: s)
        let r = try BoundaryImporter.run(file: shp, options: .init(level: .municipality, preset: .statcan), storePath: s)
        #expect(r.log.units == expected.count && r.log.parameters["crs"]?.contains("3347") == true, "\(r.log.parameters)")
        let units = try Stores.open(s).units(.municipality, withGeometry: false)
        #expect(units.count == 127)
        var wrongParent: [String] = []
        for u in units {
            let e = try #require(expected[u.code], "\(u.code)")
            #expect(u.name == e.name && u.designation == e.designation, "\(u.code): \(u.name) \(u.designation ?? "")")
            if u.mrcCode != e.mrc { wrongParent.append("\(u.code) \(u.mrcCode ?? "—") ≠ \(e.mrc)") }
        }
        #expect(wrongParent.isEmpty, "MRC by containment: \(wrongParent)")
    }

    /// The custom preset with every role named reads the SDA file into the same units as the SDA preset.
    @Test func customWithEveryRoleGiven() throws {
        let dir = tempDir("portrait-presets")
        let sda = try Self.bslStore(dir)
        let custom = dir + "/custom.gpkg"
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/bsl_municipalites_sda.geojson"),
                                     options: .init(level: .municipality, preset: .custom,
                                                    fieldOverrides: ["code": "MUS_CO_GEO", "name": "MUS_NM_MUN", "designation": "MUS_CO_DES",
                                                                     "mrc": "MRS_CO_MRC", "region": "RES_CO_REG"]), storePath: custom)
        func summary(_ s: String) throws -> [String] {
            try Stores.open(s).units(.municipality, withGeometry: false).map {
                "\($0.code) \($0.name) \($0.designation ?? "") \($0.mrcCode ?? "") \($0.regionCode ?? "") \(String(format: "%.3f", $0.areaKm2))"
            }.sorted()
        }
        let a = try summary(sda), b = try summary(custom)
        #expect(a.count == 132 && a == b)
    }

    // MARK: indicators

    @Test func statcanCensusExtract() throws {
        let s = try Self.bslStore(tempDir("portrait-presets"))
        let r = try IndicatorImporter.run(file: try RealData.path("population/recensement_2021_sdr_bsl.csv"), options: .init(vintage: 2021, preset: .statcanCensus), storePath: s)
        #expect(r.join.rows == 128 && Set(r.indicators).isSuperset(of: ["population", "logements", "revenu_median_menage"]))
        let pop = try Stores.open(s).indicatorValues("population", vintage: 2021, level: .municipality)
        // Bas-Saint-Laurent's 2021 census population (Statistics Canada), the merged codes summed.
        #expect(pop.values.compactMap(\.number).reduce(0, +) == 199_039)
    }

    @Test func statcanProfileRows() throws {
        let s = try Self.bslStore(tempDir("portrait-presets"))
        var o = IndicatorImportOptions(vintage: 2021, preset: .statcanProfile)
        o.characteristics = try CensusProfile.parse(["1=population", "243=revenu_median_menage"])
        let r = try IndicatorImporter.run(file: try RealData.path("formats/statcan_98-401-X2021_profil_long_format.csv"), options: o, storePath: s)
        #expect(r.join.rows == 2)   // Canada and Quebec are no subdivisions
        let pop = try Stores.open(s).indicatorValues("population", vintage: 2021, level: .municipality)
        #expect(pop == ["10043": .value(48_935), "10070": .value(1_834)])
    }

    /// The ISQ's table: XLSX, a sheet named by its vintage, one row per locality; written by GDAL (ogr2ogr), values
    /// SYNTHETIC on real BSL codes.
    @Test(.enabled(if: ExternalTool.find(["ogr2ogr"]) != nil || RealData.isCI, "ogr2ogr (gdal-bin) absent"))
    func isqTable() throws {
        let dir = tempDir("portrait-presets")
        let s = try Self.bslStore(dir)
        let csv = try write("""
            Code géographique,Localité,MRC,Indice de vitalité économique,Rang,Quintile\r
            07005,Sainte-Marguerite-Marie,La Matapédia,-9.87,1105,5\r
            10043,Rimouski,Rimouski-Neigette,2.41,310,2\r
            12072,Rivière-du-Loup,Rivière-du-Loup,1.02,402,2\r
            """, "synthetique_ive.csv", in: dir)
        let xlsx = dir + "/synthetique_ive_localites.xlsx"
        _ = try ExternalTool.run(try #require(ExternalTool.find(["ogr2ogr"])), ["-f", "XLSX", xlsx, csv, "-nln", "IVE 2020", "-oo", "AUTODETECT_TYPE=NO"])
        let r = try IndicatorImporter.run(file: xlsx, options: .init(vintage: 2020, preset: .isqIVE), storePath: s)
        #expect(r.join.matched == 3)
        let v = try Stores.open(s).indicatorValues("ive", vintage: 2020, level: .municipality)
        #expect(v == ["07005": .value(-9.87), "10043": .value(2.41), "12072": .value(1.02)])
    }

    /// The INSPQ's table by municipality: UTF-8 with BOM, CRLF, a suppressed quintile; values SYNTHETIC on real BSL codes.
    @Test func inspqTable() throws {
        let dir = tempDir("portrait-presets")
        let s = try Self.bslStore(dir)
        let f = dir + "/synthetique_inspq_municipalites.csv"
        let text = "Code municipal;Municipalité;Quintile matériel;Quintile social\r\n07005;Sainte-Marguerite-Marie;5;4\r\n10043;Rimouski;2;3\r\n12072;Rivière-du-Loup;3;x\r\n"
        try (Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)).write(to: URL(fileURLWithPath: f))
        let r = try IndicatorImporter.run(file: f, options: .init(vintage: 2021, preset: .inspqDeprivation), storePath: s)
        #expect(r.join.matched == 3)
        let social = try Stores.open(s).indicatorValues("defavorisation_sociale", vintage: 2021, level: .municipality)
        #expect(social == ["07005": .value(4), "10043": .value(3), "12072": .suppressed])
    }

    // MARK: services

    @Test func meqSchools() throws {
        let s = try Self.bslStore(tempDir("portrait-presets"))
        let file = try RealData.path("services/bsl_ecoles_publiques_meq.geojson")
        let n = try Self.featureCount(file)
        let r = try ServiceImporter.run(file: file, category: "ecole", preset: .meqSchools, storePath: s)
        #expect(r.kept + r.withoutCoordinates.count + r.outsideQuebec.count + r.duplicates.count == n)
        // A few schools on the shore fall outside the simplified municipal polygons: kept without a municipality, and listed.
        #expect(r.kept > 100 && r.outsideTerritory.count < 10 && r.outsideTerritory.allSatisfy { $0.row > 1 && !$0.name.isEmpty })
    }

    /// The province's ODHF: only the MSSS rows are kept (the others duplicate them with placeholder addresses); the
    /// rows outside Bas-Saint-Laurent are kept without a municipality and listed.
    @Test func odhfFacilities() throws {
        let s = try Self.bslStore(tempDir("portrait-presets"))
        let file = try RealData.path("services/qc_installations_sante_odhf.csv")
        let rows = try String(contentsOfFile: file, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        let msss = rows.filter { $0.contains(",MSSS,") }.count
        let r = try ServiceImporter.run(file: file, category: "sante", preset: .odhf, storePath: s)
        #expect(r.filtered == rows.count - msss)
        #expect(r.kept + r.withoutCoordinates.count + r.outsideQuebec.count + r.duplicates.count == msss)
        #expect(r.outsideTerritory.count > 1_000 && r.kept > r.outsideTerritory.count)
    }

    @Test func customServices() throws {
        let s = try Self.bslStore(tempDir("portrait-presets"))
        let file = try RealData.path("services/bsl_collegial_public.geojson")
        let r = try ServiceImporter.run(file: file, category: "cegep", preset: .custom, fields: ["name": "nom"], storePath: s)
        #expect(r.kept + r.duplicates.count == (try Self.featureCount(file)))
        #expect(r.kept >= 10 && r.outsideTerritory.isEmpty)
    }

    static func featureCount(_ file: String) throws -> Int {
        let d = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as! [String: Any]
        return (d["features"] as! [Any]).count
    }
}
