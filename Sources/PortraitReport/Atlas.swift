import Foundation
import PortraitModel
import PortraitStore
import PortraitTerritory

/// The publications of a region and of each of its MRC, and an index page linking them.
public enum Atlas {
    public enum Format: String, Sendable, CaseIterable { case html, pdf }

    /// One written report.
    public struct Entry: Sendable {
        public var territory: Territory
        public var name: String
        public var file: String
        /// A municipality's MRC, for the index.
        public var mrc: String? = nil
    }

    /// Writes `index.html` and one report per territory into `directory`; `progress(done, total, name)` after each.
    @discardableResult
    /// `municipalities`: also the fiche of each municipality of the region (its land units of a municipal designation).
    public static func write(storePath: String, region: Territory, directory: String, format: Format = .html, language: Language = .fr,
                             stylesDirectory: String, municipalities: Bool = false,
                             progress: @escaping @Sendable (Int, Int, String) -> Void = { _, _, _ in }) throws -> [Entry] {
        let store = try Stores.open(storePath)
        let units = try store.municipalities(in: region, withGeometry: false)
        let mrc = Set(units.compactMap(\.mrcCode)).sorted()
        guard !mrc.isEmpty else { throw TerritoryError.notFound("\(region) : aucune municipalité") }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var list = [region] + (try mrc.map { try Territory.mrc($0) })
        if municipalities {
            list += try units.filter { !$0.isAquatic && Designation.isMunicipality($0.designation) }
                .sorted { ($0.mrcCode ?? "", $0.code) < ($1.mrcCode ?? "", $1.code) }.map { try Territory.municipality($0.code) }
        }
        let territories = list
        // The reports on every core, each with its own store connection (and GEOS and PROJ contexts, made per call).
        let done = Protected((count: 0, entries: [Entry?](repeating: nil, count: territories.count), error: nil as (any Error)?))
        let workers = max(1, min(territories.count, ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let own: any TerritoryStore
            do { own = try Stores.open(storePath) } catch { done.withLock { $0.error = $0.error ?? error }; return }
            for i in stride(from: w, to: territories.count, by: workers) {
                if done.withLock({ $0.error != nil }) { return }
                let t = territories[i]
                do {
                    let report = try ReportBuilder.build(store: own, options: .init(territory: t, language: language, stylesDirectory: stylesDirectory))
                    let doc = ReportDocument(report)
                    let file = t.slug + "." + format.rawValue
                    let path = (directory as NSString).appendingPathComponent(file)
                    switch format {
                    case .html: try doc.html.write(toFile: path, atomically: true, encoding: .utf8)
                    case .pdf: try PDFPrinter.print(html: doc.html, to: path, wait: 86_400)
                    }
                    let entry = Entry(territory: t, name: report.portrait.territory.name, file: file, mrc: report.portrait.unit?.mrc?.name)
                    // Counted and told under the one lock: the count the callback sees is never out of order.
                    done.withLock { s in s.entries[i] = entry; s.count += 1; progress(s.count, territories.count, entry.name) }
                } catch {
                    done.withLock { $0.error = $0.error ?? error }
                    return
                }
            }
        }
        let result = done.withLock { $0 }
        if let e = result.error { throw e }
        let entries = result.entries.compactMap { $0 }
        try index(entries, language: language).write(toFile: (directory as NSString).appendingPathComponent("index.html"),
                                                     atomically: true, encoding: .utf8)
        return entries
    }

    static func index(_ entries: [Entry], language: Language) -> String {
        func esc(_ s: String) -> String { Escape.html(s) }
        let title = (language == .fr ? "Atlas : " : "Atlas: ") + (entries.first?.name ?? "")
        let fr = language == .fr
        var items = entries.filter { $0.territory.kind != .municipality }.map { e in
            "<li><a href=\"\(esc(e.file))\">\(esc(e.name))</a> (\(e.territory.kind == .region ? (fr ? "région" : "region") : "MRC") \(e.territory.code))</li>"
        }.joined(separator: "\n")
        let fiches = entries.filter { $0.territory.kind == .municipality }
        if !fiches.isEmpty {
            items += "\n</ul>\n<h2>" + (fr ? "Fiches municipales" : "Municipal fiches") + " (\(fiches.count))</h2>\n"
            var mrc: String?? = .none
            for e in fiches {
                if mrc != .some(e.mrc) {
                    if mrc != nil { items += "</ul>\n" }
                    items += "<h3>MRC \(esc(e.mrc ?? "?"))</h3>\n<ul>\n"
                    mrc = .some(e.mrc)
                }
                items += "<li><a href=\"\(esc(e.file))\">\(esc(e.name))</a> (\(e.territory.code))</li>\n"
            }
        }
        return """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head><meta charset="utf-8"><title>\(esc(title))</title>
        <style>body{font-family:"DejaVu Sans",system-ui,sans-serif;max-width:40rem;margin:2rem auto;color:#222}li{margin:.3rem 0}</style></head>
        <body>
        <main>
        <h1>\(esc(title))</h1>
        <ul>
        \(items)
        </ul>
        </main>
        </body>
        </html>

        """
    }
}
