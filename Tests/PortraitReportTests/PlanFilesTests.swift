import Foundation
import PortraitImport
import PortraitModel
import PortraitReport
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// The measurements file as planners save it: generated variants of the SYNTHETIC COSMOSS file (encodings, line
/// ends, separators, decimal commas, title rows, footnotes, a workbook) all give the same measurements; bad rows
/// are listed with their row and column and left out, never guessed.
@Suite(.serialized)
struct PlanFilesTests {
    static let dir = projectRoot + "/geodata/plans"

    static func store() throws -> String {
        let path = try ShippedBSL.load(into: tempDir() + "/plans.gpkg")
        _ = try PlanImporter.run(file: dir + "/cosmoss_plan_SYNTHETIQUE.csv", storePath: path)
        return path
    }

    /// The rows of the shipped file (header first), as text cells.
    static func rows() throws -> [[String]] {
        let text = try String(contentsOfFile: dir + "/cosmoss_mesures_SYNTHETIQUE.csv", encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    struct Variant: CustomStringConvertible, Sendable {
        var name: String
        var encoding: String.Encoding = .utf8
        var bom = false
        var lineEnd = "\n"
        var separator = ","
        var decimalComma = false
        var titles = 0
        var notes = 0
        var description: String { name }
    }

    static let variants: [Variant] = [
        Variant(name: "utf8-lf"),
        Variant(name: "utf8-bom-crlf", bom: true, lineEnd: "\r\n"),
        Variant(name: "cp1252-semicolons-decimal-comma", encoding: .windowsCP1252, lineEnd: "\r\n", separator: ";", decimalComma: true),
        Variant(name: "cp1252-tabs", encoding: .windowsCP1252, separator: "\t"),
        Variant(name: "titles-and-notes", titles: 2, notes: 2),
        Variant(name: "utf16-semicolons-cr", encoding: .utf16LittleEndian, bom: true, lineEnd: "\r", separator: ";", decimalComma: true, titles: 1),
    ]

    static func write(_ v: Variant, rows: [[String]]) throws -> String {
        var lines: [String] = []
        let titles = ["Suivi du plan COSMOSS — mesures des comités locaux (SYNTHÉTIQUE)", "Compilation : coordination régionale, décembre 2026"]
        // A title or a note is a cell: a spreadsheet quotes it when it holds the separator.
        func quoted(_ c: String) -> String { c.contains(v.separator) || c.contains("\"") ? "\"" + c.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : c }
        lines += titles.prefix(v.titles).map(quoted)
        for (i, r) in rows.enumerated() {
            lines.append(r.enumerated().map { k, cell -> String in
                var c = cell
                // Values with a decimal mark as published (27.5 → 27,5), quoted when they hold the separator.
                if i > 0, k == 3, v.decimalComma { c = c.replacingOccurrences(of: ".", with: ",") }
                return quoted(c)
            }.joined(separator: v.separator))
        }
        if v.notes > 0 {
            lines.append("")
            lines += ["Note : valeurs SYNTHÉTIQUES, pour les essais.", "Source : comités locaux de coordination COSMOSS."].prefix(v.notes).map(quoted)
        }
        let text = lines.joined(separator: v.lineEnd) + v.lineEnd
        var data = Data()
        if v.bom { data.append(contentsOf: v.encoding == .utf8 ? [0xEF, 0xBB, 0xBF] : [0xFF, 0xFE]) }
        data.append(try #require(text.data(using: v.encoding)))
        let path = tempDir() + "/mesures-\(v.name).\(v.separator == "\t" ? "tsv" : "csv")"
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    static func imported(_ file: String) throws -> (report: MeasurementImportReport, rows: [TargetMeasurement]) {
        let path = try store()
        let r = try MeasurementImporter.run(file: file, storePath: path)
        return (r, try Stores.open(path).measurements(plan: "01-cosmoss"))
    }

    @Test func everyLayoutGivesTheSameMeasurements() throws {
        // With a decimal value among them, so that the decimal mark matters.
        // (An en dash for the em dash: Latin-1 has no em dash.)
        var rows = try Self.rows().map { $0.map { $0.replacingOccurrences(of: "—", with: "–") } }
        rows[2][3] = "27.5"
        let reference = try Self.imported(try Self.write(Self.variants[0], rows: rows)).rows
        #expect(reference.count == 15)
        #expect(reference.contains { $0.value == 27.5 && $0.territory == "01-cosmoss-clc-07" })
        // mrc:10 is the committee of Rimouski-Neigette.
        #expect(reference.contains { $0.territory == "01-cosmoss-clc-10" } && !reference.contains { $0.territory.hasPrefix("mrc:") })
        for v in Self.variants.dropFirst() {
            let (r, got) = try Self.imported(try Self.write(v, rows: rows))
            #expect(r.rejected.isEmpty, "\(v): \(r.rejected)")
            #expect(got == reference, "\(v)")
        }
        // A workbook (XLSX) of the same table.
        let table = DataTable(name: "mesures", title: "Mesures", columns: rows[0],
                              rows: rows.dropFirst().map { r in r.enumerated().map { $0.offset == 3 ? .number(Double($0.element)!) : .text($0.element) } })
        let xlsx = tempDir() + "/mesures.xlsx"
        try XLSXWriter.data([table]).write(to: URL(fileURLWithPath: xlsx))
        let (r, got) = try Self.imported(xlsx)
        #expect(r.rejected.isEmpty)
        #expect(got == reference)
    }

    @Test func badRowsAreListedAndLeftOut() throws {
        let path = try Self.store()
        // A second plan with a target of the same wording: that wording no longer names one target.
        let other = try PortraitTestSupport.write("""
            mobilisation_id,id,axe,indicateur,cible,unite,echeance
            01-alliance,alliance-1,réussite,taux de diplomation et de qualification après sept ans,80,%,2027
            """, "alliance.csv", in: tempDir())
        _ = try PlanImporter.run(file: other, storePath: path)
        let file = try PortraitTestSupport.write("""
            cible,territoire,date,valeur,source,commentaire
            cosmoss-shv,01-cosmoss-clc-09,2024,70,essai,bonne ligne
            cible-inconnue,01-cosmoss-clc-09,2024,70,essai,
            taux de diplomation et de qualification après sept ans,01-cosmoss-clc-11,2024,71,essai,
            Écoles primaires inscrites à un programme de SAINES habitudes de vie,01-cosmoss-clc-09,2025,75,essai,texte de l'indicateur
            cosmoss-shv,mrc:99,2024,70,essai,
            cosmoss-shv,01-inconnue,2024,70,essai,
            cosmoss-shv,01-cosmoss-clc-09,2025-13-01,70,essai,
            cosmoss-shv,01-cosmoss-clc-09,2026,n.d.,essai,
            cosmoss-shv,01-cosmoss-clc-09,2026-03-01,,essai,
            cosmoss-isp,01-cosmoss-clc-13,2024,50,essai,
            cosmoss-isp,01-cosmoss-clc-13,2024,55,essai,
            cosmoss-isp,01-cosmoss-clc-14,2024,40,essai,
            cosmoss-isp,01-cosmoss-clc-14,2024,40,essai,même valeur deux fois
            """, "mauvaises.csv", in: tempDir())
        let before = try Stores.open(path).measurements(plan: nil)
        let strict = #expect(throws: ImportError.self) { try MeasurementImporter.run(file: file, strict: true, storePath: path) }
        #expect(strict?.description.contains("ligne 3") == true)
        #expect(try Stores.open(path).measurements(plan: nil) == before)   // --strict: nothing written
        let r = try MeasurementImporter.run(file: file, storePath: path)
        let byRow = Dictionary(grouping: r.rejected, by: \.row)
        #expect(byRow[3]?.first?.column == "cible")
        #expect(byRow[4]?.first?.problem.contains("nomme 2 cibles") == true)
        #expect(byRow[6]?.first?.column == "territoire" && byRow[7]?.first?.column == "territoire")
        #expect(byRow[8]?.first?.column == "date")
        #expect(byRow[9]?.first?.column == "valeur" && byRow[10]?.first?.column == "valeur")
        #expect(byRow[11]?.first?.problem.contains("lignes 11, 12") == true && byRow[12] != nil)
        #expect(Set(r.rejected.map(\.row)) == [3, 4, 6, 7, 8, 9, 10, 11, 12])
        // Kept: the good row, the indicator's wording (case and accents aside), one of two identical rows.
        #expect(r.imported == 3)
        let kept = try Stores.open(path).measurements(plan: "01-cosmoss")
        #expect(kept.map { "\($0.targetID) \($0.territory) \($0.date) \($0.value)" } == [
            "cosmoss-isp 01-cosmoss-clc-14 2024 40.0", "cosmoss-shv 01-cosmoss-clc-09 2024 70.0", "cosmoss-shv 01-cosmoss-clc-09 2025 75.0"])
        // The log names each row left out.
        #expect(r.log.warnings.count == 9 && r.log.warnings.contains { $0.hasPrefix("ligne 8, colonne date") })
        // Imported again: replaced, not doubled.
        let again = try MeasurementImporter.run(file: file, storePath: path)
        #expect(again.replaced == 3)
        #expect(try Stores.open(path).measurements(plan: "01-cosmoss").count == 3)
    }

    /// « chaque concertation locale »: every committee is listed for the target, measured or not; the plan's own status
    /// uses the plan's measurements only.
    @Test func scopeEachLocalListsEveryCommittee() throws {
        let path = try Self.store()
        let plan = try PortraitTestSupport.write("""
            mobilisation_id,plan_id,id,axe,indicateur,cible,unite,echeance,portee,plan_debut,plan_fin
            01-cosmoss,cosmoss-2,participation,concertation,taux de participation aux rencontres (SYNTHÉTIQUE),75,%,2027,chaque comité local,2023,2027
            """, "plan2.csv", in: tempDir())
        let r = try PlanImporter.run(file: plan, storePath: path)
        #expect(r.plans.map(\.id) == ["cosmoss-2"] && r.plans[0].start == 2023)
        let m = try PortraitTestSupport.write("cible,territoire,date,valeur\nparticipation,mrc:07,2023,70\nparticipation,mrc:07,2025,76\n",
                                               "m2.csv", in: tempDir())
        #expect(try MeasurementImporter.run(file: m, storePath: path).imported == 2)
        let d = try PlanBuilder.build(storePath: path, options: PlanOptions(planID: "cosmoss-2", asOf: PlanDate("2026-12-31")!))
        let row = try #require(d.targets.first)
        #expect(row.target.scope == .eachLocal)
        #expect(row.territories.count == 8)
        #expect(row.territories.filter { $0.status == .noData }.count == 7)
        #expect(row.territories.first { $0.territory == "01-cosmoss-clc-07" }?.status == .achieved)
        #expect(row.plan.status == .noData)   // never an average of the committees'
        #expect(d.summaries.first { $0.role == "plan" }?.measured == 0)
    }

    @Test func badPlanFilesAreRefusedNamingRowAndColumn() throws {
        let path = try Self.store()
        let cases: [(String, String)] = [
            ("mobilisation_id,indicateur,cible,echeance\n01-cosmoss,x,beaucoup,2027\n", "colonne cible"),
            ("mobilisation_id,indicateur,cible,echeance\n01-cosmoss,x,10,bientôt\n", "colonne echeance"),
            ("mobilisation_id,indicateur,cible,echeance,sens\n01-cosmoss,x,10,2027,environ\n", "colonne sens"),
            ("mobilisation_id,indicateur,cible,echeance,reference\n01-cosmoss,x,10,2027,5\n", "colonne date_reference"),
            ("mobilisation_id,indicateur,cible\n01-cosmoss,x,10\n", "colonne echeance"),
            ("mobilisation_id,indicateur,cible,echeance,indicateur_portrait\n01-cosmoss,x,10,2027,ive\n", "colonne regle"),
            ("mobilisation_id,indicateur,cible,echeance,indicateur_portrait,regle\n01-cosmoss,x,10,2027,ive,nombre_sous\n", "colonne seuil"),
            ("mobilisation_id,indicateur,echeance\n01-cosmoss,x,2027\n", "colonne cible"),
            ("mobilisation_id,id,indicateur,cible,echeance\n01-cosmoss,a,x,1,2027\n01-cosmoss,a,y,2,2027\n", "ligne 3"),
            ("mobilisation,indicateur\n01-cosmoss,x\n", "colonnes manquantes"),
            ("mobilisation_id,id,indicateur,cible,echeance\n01-alliance,cosmoss-shv,x,1,2027\n", "déjà une cible du plan 01-cosmoss"),
        ]
        let before = try Stores.open(path).planTargets(plan: nil)
        for (i, (text, expected)) in cases.enumerated() {
            let f = try PortraitTestSupport.write(text, "plan\(i).csv", in: tempDir())
            let e = #expect(throws: ImportError.self) { try PlanImporter.run(file: f, storePath: path) }
            #expect(e?.description.contains(expected) == true, "\(text) → \(e?.description ?? "")")
            if !expected.hasPrefix("colonnes") { #expect(e?.description.contains("ligne") == true) }
        }
        #expect(try Stores.open(path).planTargets(plan: nil) == before)
    }
}

/// « Suivi du plan » in the portraits of the territories a plan covers, and in no other.
@Suite(.serialized)
struct PlanFollowUpTests {
    static let store: String = {
        let path = try! PlanFilesTests.store()
        _ = try! MeasurementImporter.run(file: PlanFilesTests.dir + "/cosmoss_mesures_SYNTHETIQUE.csv", storePath: path)
        return path
    }()

    static func report(_ t: Territory) throws -> Report {
        var o = ReportOptions(territory: t, maps: false)
        o.planDate = PlanDate("2026-12-31")
        return try ReportBuilder.build(storePath: store, options: o)
    }

    @Test func anMRCShowsThePlanAndItsOwnCommittee() throws {
        let r = try Self.report(try .mrc("10"))
        let f = try #require(r.plans.first)
        #expect(r.plans.count == 1 && f.planID == "01-cosmoss")
        #expect(f.locals.map(\.territory) == ["01-cosmoss-clc-10"])
        #expect(f.rows.first { $0.targetID == "cosmoss-shv" }?.locals == [.watch])
        let html = ReportDocument(r).html
        #expect(html.contains("Suivi du plan : Plan COSMOSS 2023-2027 (SYNTHÉTIQUE)"))
        #expect(html.contains("<th scope=\"col\">Comité local de coordination COSMOSS Rimouski-Neigette</th>"))
        #expect(html.contains("Mesures SYNTHÉTIQUES"))
        // The portrait's tables: one row per target for the plan, one for the committee.
        let t = try #require(try ReportTables.tables(r, territory: try .mrc("10"), store: try Stores.open(Self.store)).first { $0.name == "suivi_plan" })
        #expect(t.rows.count == 10)
        #expect(t.rows.contains { $0[1] == .text("cosmoss-shv") && $0[4] == .text("01-cosmoss-clc-10") && $0[6] == .text("a_surveiller") })
        #expect(t.rows.contains { $0[1] == .text("cosmoss-shv") && $0[4] == .text("01-cosmoss") && $0[6] == .text("sans_donnee") })
        // A municipality of the MRC: the same committee.
        #expect(try Self.report(try .municipality("10043")).plans.first?.locals.map(\.territory) == ["01-cosmoss-clc-10"])
    }

    @Test func theRegionShowsEveryCommitteeInASummary() throws {
        let r = try Self.report(try .region("01"))
        let f = try #require(r.plans.first)
        #expect(f.locals.count == 8)
        let html = ReportDocument(r).html
        #expect(html.contains("Suivi du plan"))
        #expect(!html.contains("<th scope=\"col\">Comité local de coordination COSMOSS Kamouraska</th>"))   // rows, not columns
        #expect(html.contains("<td>Comité local de coordination COSMOSS Kamouraska</td>"))
    }

    @Test func aTerritoryOutsideThePlanShowsNone() throws {
        // Units of Mauricie (MRC 36, region 04): COSMOSS's plan covers none of them.
        let units = try Stores.open(Self.store).municipalities(in: try .mrc("10"), withGeometry: false)
        let d = try PlanBuilder.build(storePath: Self.store, options: PlanOptions(planID: "01-cosmoss", asOf: PlanDate("2026-12-31")!))
        #expect(PlanFollowUp.of(d, units: units.map { var u = $0; u.regionCode = "04"; u.mrcCode = "36"; return u }) == nil)
    }
}
