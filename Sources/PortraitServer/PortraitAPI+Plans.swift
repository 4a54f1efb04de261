import Foundation
import Hummingbird
import PortraitModel
import PortraitRender
import PortraitReport
import PortraitTerritory

extension PortraitAPI {
    /// `GET /plans`: every plan with its mobilisation, period, number of targets and statuses today.
    func plans(_ request: Request) async throws -> Response {
        let q = request.uri.queryParameters
        let lang = try Self.language(q.get("lang"))
        let asOf = try Self.planDate(q.get("date"))
        return try await cached(request, key: "#plans#\(asOf)", contentType: Self.jsonType) { [self] in
            let s = try store()
            var list: [PlanListEntry] = []
            for p in try s.plans() {
                let d = try PlanBuilder.build(store: s, options: PlanOptions(planID: p.id, asOf: asOf, language: lang))
                var counts: [String: Int] = [:]
                for st in ProgressStatus.allCases { counts[st.rawValue] = 0 }
                for r in d.targets { counts[r.plan.status.rawValue, default: 0] += 1 }
                let region = d.mobilisation.flatMap { $0.regionCode ?? ($0.territoryType == .region ? $0.territoryCode : nil) }
                list.append(PlanListEntry(id: p.id, title: p.title, mobilisationID: p.mobilisationID, mobilisationName: d.mobilisation?.name, regionCode: region,
                                          start: p.start, end: p.end, targets: d.targets.count, planStatuses: counts, asOf: d.asOf,
                                          summaries: d.summaries, href: "/plans/\(p.id)"))
            }
            return try Self.encode(PlanList(asOf: asOf.isoDay, plans: list))
        }
    }

    /// `GET /plans/{id}`: the dashboard (HTML for a browser, else `format=json|csv|xlsx|pdf|svg`); `axe`,
    /// `territoire`, `date` (YYYY-MM-DD, default today), `annual` (the year's activity report), `lang`.
    func plan(_ id: String, request: Request) async throws -> Response {
        let q = request.uri.queryParameters
        let lang = try Self.language(q.get("lang"))
        let asOf = try Self.planDate(q.get("date"))
        let annual = try Self.year(q.get("annual"), "annual")
        let format = q.get("format") ?? (request.headers[.accept]?.contains("text/html") == true ? "html" : "json")
        guard ["json", "html", "pdf", "csv", "xlsx", "svg"].contains(format) else { throw APIError.badRequest("format : json, html, pdf, csv, xlsx ou svg") }
        let axis = q.get("axe").flatMap { $0.isEmpty ? nil : $0 }, territory = q.get("territoire").flatMap { $0.isEmpty ? nil : $0 }
        let excelFR = q.get("excel_fr").map { $0 == "1" || $0 == "true" } ?? false
        let types = ["html": "text/html; charset=utf-8", "pdf": "application/pdf", "json": Self.jsonType, "csv": "text/csv; charset=utf-8",
                     "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "svg": "image/svg+xml"]
        var extra: HTTPFields = [:]
        let stem = "plan-\(Territory.identifier(id))" + (annual.map { "-rapport-\($0)" } ?? "")
        switch format {
        case "pdf": extra[.contentDisposition] = "inline; filename=\"\(stem).pdf\""
        case "csv", "xlsx": extra[.contentDisposition] = "attachment; filename=\"\(stem).\(format)\""
        default: break
        }
        let here = request.uri.path
        let links: [(label: String, href: String)] = [("PDF", here + "?format=pdf"), ("CSV", here + "?format=csv"),
                                                      ("CSV (Excel en français)", here + "?format=csv&excel_fr=1"), ("XLSX", here + "?format=xlsx"),
                                                      ("JSON", here + "?format=json"),
                                                      ("Rapport annuel \(asOf.year - 1) (PDF)", here + "?annual=\(asOf.year - 1)&format=pdf")]
        return try await cached(request, key: "#plan#\(format)#\(asOf)", contentType: types[format]!, headers: extra) { [self] in
            let built = try PlanPage.build(store: try store(), options: PlanOptions(planID: id, asOf: asOf, language: lang, axis: axis, territory: territory),
                                           annual: annual)
            let d = built.dashboard
            switch format {
            case "html": return ByteBuffer(string: PlanPage.html(d, map: built.map, links: links, annual: built.annual))
            case "csv": return ByteBuffer(data: CSVWriter.data(PlanPage.table(d), excelFR: excelFR))
            case "xlsx": return ByteBuffer(data: XLSXWriter.data([PlanPage.table(d)]))
            case "svg":
                guard let map = built.map else { throw APIError.notFound("plan \(id) : les contours de ses territoires ne sont pas dans le magasin") }
                return ByteBuffer(string: map)
            case "pdf":
                let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("portrait-plan-\(UUID().uuidString)")
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: dir) }
                try PDFPrinter.print(html: PlanPage.html(d, map: built.map, annual: built.annual), to: dir + "/plan.pdf")
                return ByteBuffer(data: try Data(contentsOf: URL(fileURLWithPath: dir + "/plan.pdf")))
            default: return try Self.encode(d)
            }
        }
    }

    static func planDate(_ raw: String?) throws -> PlanDate {
        guard let raw, !raw.isEmpty else { return .today() }
        // A day, or a year (its 31 December), within `PlanDate.years`.
        guard raw.count == 10 || raw.count == 4, let d = PlanDate(raw) else {
            throw APIError.badRequest("date=\(raw.prefix(40)) : AAAA-MM-JJ ou AAAA attendu, de \(PlanDate.years.lowerBound) à \(PlanDate.years.upperBound) (ex. 2026-12-31)")
        }
        return d
    }
}

struct PlanListEntry: Codable, Sendable {
    var id: String, title: String, mobilisationID: String, mobilisationName: String?, regionCode: String?, start: Int?, end: Int?, targets: Int
    var planStatuses: [String: Int]
    var asOf: String
    var summaries: [TerritorySummary]
    var href: String
    enum CodingKeys: String, CodingKey {
        case id, title, mobilisationID = "mobilisation_id", mobilisationName = "mobilisation_name", regionCode = "region_code", start, end, targets,
             planStatuses = "plan_statuses", asOf = "as_of", summaries, href
    }
}

struct PlanList: Codable, Sendable { var asOf: String; var plans: [PlanListEntry]; enum CodingKeys: String, CodingKey { case asOf = "as_of", plans } }
