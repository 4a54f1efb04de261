import Foundation
import PortraitImport
import PortraitModel
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// The Mauricie consortium's real 2024–2028 targets (../shared) with the SYNTHETIC measurements of its six local
/// concertations (geodata/plans), on each backend: every status checked by hand against the documented rule.
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct MauriciePlanTests {
    static let measurements = projectRoot + "/geodata/plans/mauricie_mesures_2024_2026_SYNTHETIQUE.csv"

    static let store = PerBackend<String> { backend in
        let path = try backend.newStore("plan04")
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/qc-mrc.geojson"), options: .init(level: .mrc), storePath: path)
        _ = try MobilisationImporter.run(file: try RealData.path("mobilisations/mobilisations_seeds.csv"),
                                         targets: try RealData.path("mobilisations/mauricie_cibles_2024_2028.csv"), storePath: path)
        let r = try MeasurementImporter.run(file: measurements, storePath: path)
        guard r.imported == 45, r.rejected.isEmpty else { throw PlanError("mesures : \(r.imported) importées, rejets \(r.rejected)") }
        return path
    }

    static func dashboard(_ b: Backend) throws -> PlanDashboard {
        try PlanBuilder.build(storePath: try store.get(b), options: PlanOptions(planID: "04-consortium", asOf: PlanDate("2026-12-31")!))
    }

    @Test(arguments: Backend.available)
    func theRealTargetsFileIsAPlan(_ b: Backend) throws {
        let s = try Stores.open(try Self.store.get(b))
        let plan = try #require(try s.plans().first { $0.id == "04-consortium" })
        // The period the plan's title states; the title is the file's source column.
        #expect(plan.start == 2024 && plan.end == 2028)
        #expect(plan.title == "Plan d'action de l'entente sectorielle en développement social en Mauricie 2024-2028")
        let targets = try s.planTargets(plan: "04-consortium")
        #expect(targets.map(\.id) == (1...9).map { "04-consortium-\($0)" })
        #expect(targets.map(\.axis) == ["Concertation", "Concertation", "Accompagnement", "Accompagnement", "Accompagnement", "Accompagnement",
                                        "Transfert et diffusion", "Transfert et diffusion", "Transfert et diffusion"])
        // « annuel » in echeance, « aux deux ans » in the unit; the others by 2028.
        #expect(targets.map(\.recurrence) == [.none, .none, .none, .none, .annual, .biennial, .annual, .none, .annual])
        #expect(targets.allSatisfy { $0.deadline == 2028 && $0.direction == .atLeast })
        #expect(targets.map(\.target) == [100, 75, 80, 75, 2, 1, 1, 1, 1])
    }

    /// The statuses on 2026-12-31, each worked out by hand (2024-12-31 → 2026-12-31 is 730 of the 1,461 days to
    /// 2028-12-31: f = 0.49966).
    @Test(arguments: Backend.available)
    func everyStatusIsTheRulesOne(_ b: Backend) throws {
        let d = try Self.dashboard(b)
        #expect(d.targets.count == 9)
        var got: [String: String] = [:]
        for r in d.targets {
            got[r.target.id] = r.plan.status.rawValue
            for s in r.territories { got[r.target.id + "@" + s.territory] = s.status.rawValue }
        }
        let expected: [String: String] = [
            // 33.3 → 66.7: expected 33.3 + f × 66.7 = 66.63; r = 33.4 / 33.33 = 1.002.
            "04-consortium-1": "en_bonne_voie",
            "04-consortium-2": "sans_donnee",
            "04-consortium-2@04-cl-371": "en_bonne_voie",   // 40 → 64: expected 57.49, r = 24 / 17.49 = 1.37
            "04-consortium-2@04-cl-35": "en_retard",        // 30 → 35: expected 52.48, r = 5 / 22.48 = 0.22
            "04-consortium-2@04-cl-36": "a_surveiller",     // 50 → 60: expected 62.49, r = 10 / 12.49 = 0.80
            "04-consortium-2@04-cl-51": "atteinte",         // 78 ≥ 75
            "04-consortium-2@04-cl-372": "sans_donnee",     // one measurement: the baseline
            "04-consortium-2@04-cl-90": "en_retard",        // given as mrc:90; 50 → 45, a step back: r = −0.40
            // 72 (2025-12-31) → 76 (2026-06-30): 181 of 1,096 days, expected 73.32, r = 4 / 1.32 = 3.03.
            "04-consortium-3": "en_bonne_voie",
            "04-consortium-4": "sans_donnee",
            "04-consortium-4@04-cl-371": "atteinte",        // 76 ≥ 75
            "04-consortium-4@04-cl-35": "en_bonne_voie",    // 60 → 68: expected 67.49, r = 8 / 7.49 = 1.07
            "04-consortium-4@04-cl-36": "en_retard",        // 72 → 71: r = −1 / 1.50 = −0.67
            "04-consortium-4@04-cl-51": "a_surveiller",     // 55 → 62: expected 64.99, r = 7 / 9.99 = 0.70
            "04-consortium-4@04-cl-90": "en_bonne_voie",    // 65 (2024) → 70 (2026): expected 69.997, r = 1.0007
            // 2 a year: 2024 met, 2025 closed at 1, 2026 under way 1 by Oct 15 (expected 288/365 × 2 = 1.58, r = 0.63).
            "04-consortium-5": "a_surveiller",
            "04-consortium-6": "atteinte",                  // 2024–2025: 1 event (2025-05-14)
            "04-consortium-7": "en_retard",                 // 2026's campaign: 0 for the year
            "04-consortium-8": "sans_donnee",               // never measured
            "04-consortium-9": "atteinte",                  // 2026: 1 application
        ]
        #expect(got == expected)
        let t5 = try #require(d.targets.first { $0.target.id == "04-consortium-5" })
        #expect(t5.plan.progress.periods.map(\.status) == [.achieved, .late, .watch])
        // The summary of each local concertation, and the plan's own: 4 of its 6 measured targets on track.
        let plan = try #require(d.summaries.first { $0.role == "plan" })
        #expect(plan.counts == ["atteinte": 2, "en_bonne_voie": 2, "a_surveiller": 1, "en_retard": 1, "sans_donnee": 3])
        #expect(plan.onTrackShare == 4.0 / 6)
        let locals = d.summaries.filter { $0.role == "local" }
        #expect(locals.map(\.territory) == ["04-cl-35", "04-cl-36", "04-cl-371", "04-cl-372", "04-cl-51", "04-cl-90"])
        #expect(locals.map(\.onTrack) == [1, 0, 2, 0, 1, 1])
        #expect(locals.map(\.measured) == [2, 2, 2, 0, 2, 2])
        #expect(locals.first { $0.territory == "04-cl-372" }?.onTrackShare == nil)
        #expect(locals.allSatisfy { $0.level == .mrc })
    }

    /// In the JSON, each status sits in the object that names its target's indicator and its territory.
    @Test(arguments: Backend.available)
    func jsonStatusObjects(_ b: Backend) throws {
        let d = try Self.dashboard(b)
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder.stable.encode(d)) as? [String: Any])
        let targets = try #require(json["targets"] as? [[String: Any]])
        let row = try #require(targets.first { ($0["target"] as? [String: Any])?["id"] as? String == "04-consortium-2" })
        let statuses = try #require(row["territories"] as? [[String: Any]])
        let tuque = try #require(statuses.first { $0["territory"] as? String == "04-cl-90" })
        #expect(tuque["indicator"] as? String == "acteurs ayant adhéré à un plan intégré d'action intersectoriel régional")
        #expect(tuque["status"] as? String == "en_retard")
        #expect(tuque["territory_name"] as? String == "Concertation locale en développement social La Tuque")
        let plan = try #require(row["plan"] as? [String: Any])
        #expect(plan["territory"] as? String == "04-consortium" && plan["status"] as? String == "sans_donnee" && plan["indicator"] != nil)
    }

    @Test(arguments: Backend.available)
    func filtersByAxisAndTerritory(_ b: Backend) throws {
        let d = try PlanBuilder.build(storePath: try Self.store.get(b), options: PlanOptions(
            planID: "04-consortium", asOf: PlanDate("2026-12-31")!, axis: "Accompagnement", territory: "04-cl-36"))
        #expect(d.targets.map(\.target.id) == ["04-consortium-3", "04-consortium-4", "04-consortium-5", "04-consortium-6"])
        #expect(d.targets.flatMap(\.territories).map(\.territory) == ["04-cl-36"])
        #expect(d.summaries.map(\.territory) == ["04-consortium", "04-cl-36"])
    }

    @Test func unknownPlanIsNotFoundAndNamesThePlans() throws {
        let e = #expect(throws: PlanError.self) {
            try PlanBuilder.build(storePath: try Self.store.get(.geopackage), options: PlanOptions(planID: "04-consortiun"))
        }
        #expect(e?.kind == .notFound)
        #expect(e?.message.contains("04-consortium") == true)
    }
}

/// COSMOSS: a SYNTHETIC plan (one target on each of its four enjeux, and one tied to the ISQ vitality index)
/// measured by its eight local committees, on the real Bas-Saint-Laurent dataset the project ships.
@Suite(.serialized)
struct CosmossPlanTests {
    static let dir = projectRoot + "/geodata/plans"

    static func store(_ b: Backend) throws -> String {
        let path = try ShippedBSL.load(into: try b.newStore("plan01"))
        let plan = try PlanImporter.run(file: dir + "/cosmoss_plan_SYNTHETIQUE.csv", storePath: path)
        #expect(plan.targets == 5)
        // Not imported yet: said, and the target stays without data until it is.
        #expect(plan.warnings.contains { $0.contains("« ive » pas encore importé") })
        let m = try MeasurementImporter.run(file: dir + "/cosmoss_mesures_SYNTHETIQUE.csv", storePath: path)
        #expect(m.imported == 15 && m.rejected.isEmpty)
        return path
    }

    /// A SYNTHETIC vitality index for every municipal unit of the store: `below` of them under −5.
    static func ive(_ path: String, vintage: Int, below codes: Set<String>) throws -> String {
        let units = try Stores.open(path).units(.municipality, withGeometry: false)
        var csv = "code,ive\n"
        for u in units { csv += "\(u.code),\(codes.contains(u.code) ? "-7.5" : "2.25")\n" }
        return try write(csv, "ive_SYNTHETIQUE_\(vintage).csv", in: tempDir())
    }

    @Test(arguments: Backend.available)
    func statusesOfTheLocalCommittees(_ b: Backend) throws {
        let path = try Self.store(b)
        let d = try PlanBuilder.build(storePath: path, options: PlanOptions(planID: "01-cosmoss", asOf: PlanDate("2026-12-31")!))
        var got: [String: String] = [:]
        for r in d.targets { for s in r.territories { got[r.target.id + "@" + s.territory] = s.status.rawValue } }
        // Deadline 2027-12-31. From 2023-12-31: 731 of 1,461 days at 2025-12-31 (f = 0.50034). From the baseline
        // 2022-12-31: 1,096 of 1,826 days (f = 0.60022).
        #expect(got == [
            "cosmoss-esr@01-cosmoss-clc-07": "a_surveiller",  // ≤ 25 from 29: expected 26.60, 27 is r = 2 / 2.40 = 0.83
            "cosmoss-esr@01-cosmoss-clc-08": "en_retard",     // 29: r = 0
            "cosmoss-shv@01-cosmoss-clc-09": "atteinte",      // 82 ≥ 80
            "cosmoss-shv@01-cosmoss-clc-10": "a_surveiller",  // given as mrc:10; 50 → 62: expected 65.01, r = 0.80
            "cosmoss-psre@01-cosmoss-clc-11": "en_bonne_voie", // 70 → 78: expected 77.51, r = 1.07
            "cosmoss-psre@01-cosmoss-clc-12": "sans_donnee",  // one measurement
            "cosmoss-isp@01-cosmoss-clc-13": "en_bonne_voie", // 40 → 85: expected 80.03, r = 1.12
            "cosmoss-isp@01-cosmoss-clc-14": "en_retard",     // 30 → 50: expected 75.03, r = 0.44
        ])
        // Each of the 8 committees has one target on one of the 4 enjeux.
        #expect(Set(got.keys.map { $0.split(separator: "@")[1] }).count == 8)
        #expect(d.synthetic)
    }

    /// « Fewer very devitalised municipalities (IVE < −5) than in 2018 »: measured from the index's vintages, its
    /// status changes when a new vintage is imported, with no measurement recorded.
    @Test(arguments: Backend.available)
    func targetTiedToAnIndicatorFollowsItsVintages(_ b: Backend) throws {
        let path = try Self.store(b)
        func ive() throws -> TargetRow {
            let d = try PlanBuilder.build(storePath: path, options: PlanOptions(planID: "01-cosmoss", asOf: PlanDate("2026-12-31")!))
            return try #require(d.targets.first { $0.target.id == "cosmoss-ive" })
        }
        #expect(try ive().plan.status == .noData)
        let units = try Stores.open(path).units(.municipality, withGeometry: false).filter { !$0.isAquatic }
        let matapedia = units.filter { $0.mrcCode == "07" }.map(\.code).sorted()
        let rimouski = units.filter { $0.mrcCode == "10" }.map(\.code).sorted()
        // 2018: 6 in La Matapédia and 2 in Rimouski-Neigette.
        let in2018 = Set(matapedia.prefix(6) + rimouski.prefix(2))
        _ = try IndicatorImporter.run(file: try Self.ive(path, vintage: 2018, below: in2018),
                                      options: .init(indicator: "ive", vintage: 2018, codeField: "code", valueFields: ["ive"], kind: .index),
                                      storePath: path)
        var row = try ive()
        // The baseline alone: no progress yet; the baseline is 2018's count.
        #expect(row.plan.status == .noData)
        #expect(row.plan.measurements.map(\.value) == [8])
        #expect(row.territories.first { $0.territory == "01-cosmoss-clc-07" }?.measurements.map(\.value) == [6])
        // 2022: 5 in La Matapédia, still 2 in Rimouski-Neigette.
        let in2022 = Set(matapedia.prefix(5) + rimouski.prefix(2))
        _ = try IndicatorImporter.run(file: try Self.ive(path, vintage: 2022, below: in2022),
                                      options: .init(indicator: "ive", vintage: 2022, codeField: "code", valueFields: ["ive"], kind: .index),
                                      storePath: path)
        row = try ive()
        #expect(row.plan.status == .achieved)           // 7 < 8
        #expect(row.plan.measurements.map(\.date) == ["2018", "2022"])
        #expect(row.plan.measurements.allSatisfy { $0.fromIndicator })
        let byCommittee = Dictionary(uniqueKeysWithValues: row.territories.map { ($0.territory, $0.status) })
        #expect(byCommittee["01-cosmoss-clc-07"] == .achieved)    // 5 < 6
        #expect(byCommittee["01-cosmoss-clc-10"] == .watch)       // 2, unchanged
        #expect(byCommittee["01-cosmoss-clc-14"] == .watch)       // 0 → 0: unchanged (fewer than 0 cannot be)
        #expect(row.territories.count == 8)
        // A manual measurement of that target is refused: its values are the indicator's.
        let f = try write("cible,territoire,date,valeur\ncosmoss-ive,01-cosmoss,2024,3\n", "m.csv", in: tempDir())
        let r = try MeasurementImporter.run(file: f, storePath: path)
        #expect(r.imported == 0 && r.rejected.first?.problem.contains("liée à l'indicateur") == true)
    }

    /// « The Q5 share of the MRC under 30 % »: a target measured by the territory's figure of a rate, as its portrait
    /// computes it (population-weighted), one value per vintage; a vintage where one municipality has no value gives none.
    @Test func valueRuleIsThePortraitsFigure() throws {
        let path = try Self.store(.geopackage)
        let plan = try write("""
            mobilisation_id,plan_id,id,indicateur,cible,unite,sens,echeance,indicateur_portrait,regle
            01-cosmoss,q5,q5-1,population en quintile 5 (SYNTHÉTIQUE),30,%,moins que,2027,part_q5_synthetique,valeur
            """, "plan_q5.csv", in: tempDir())
        _ = try PlanImporter.run(file: plan, storePath: path)
        let units = try Stores.open(path).units(.municipality, withGeometry: false).filter { !$0.isAquatic }
        func rates(_ vintage: Int, skip: String? = nil) throws -> String {
            var csv = "code,part\n"
            for (i, u) in units.enumerated() where u.code != skip { csv += "\(u.code),\(Double(15 + (i * 7) % 30) + 0.5)\n" }
            return try write(csv, "q5_SYNTHETIQUE_\(vintage).csv", in: tempDir())
        }
        for (vintage, skip) in [(2016, nil), (2021, units.first { $0.mrcCode == "10" }!.code)] as [(Int, String?)] {
            _ = try IndicatorImporter.run(file: try rates(vintage, skip: skip), options: .init(
                indicator: "part_q5_synthetique", vintage: vintage, codeField: "code", valueFields: ["part"], kind: .rate, unit: "%"), storePath: path)
        }
        let d = try PlanBuilder.build(storePath: path, options: PlanOptions(planID: "q5", asOf: PlanDate("2026-12-31")!))
        let row = try #require(d.targets.first)
        let rimouski = try #require(row.territories.first { $0.territory == "01-cosmoss-clc-10" })
        // 2016 only: in 2021 one municipality of MRC 10 has no value, so MRC 10 has no 2021 figure (listed).
        #expect(rimouski.measurements.map(\.date) == ["2016"])
        #expect(d.undecided.contains { $0.hasPrefix("q5-1 (01-cosmoss-clc-10) : millésime 2021 : 1 municipalité(s) sans valeur") })
        // The 2016 figure weighs each municipality by its census population (the one vintage: 2021), as portraits do.
        let pop = try Stores.open(path).indicatorValues("population", vintage: 2021)
        let v2016 = try Stores.open(path).indicatorValues("part_q5_synthetique", vintage: 2016)
        let mrc10 = units.filter { $0.mrcCode == "10" }
        let expected = mrc10.map { v2016[$0.code]!.number! * pop[$0.code]!.number! }.reduce(0, +) / mrc10.map { pop[$0.code]!.number! }.reduce(0, +)
        #expect(abs(rimouski.measurements[0].value - expected) < 1e-9)
        // MRC 07 has both vintages.
        #expect(row.territories.first { $0.territory == "01-cosmoss-clc-07" }?.measurements.map(\.date) == ["2016", "2021"])
    }
}
