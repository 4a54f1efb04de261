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
    }

    /// Writes `index.html` and one report per territory into `directory`; `progress(done, total, name)` after each.
    @discardableResult
    public static func write(storePath: String, region: Territory, directory: String, format: Format = .html, language: Language = .fr,
                             stylesDirectory: String, progress: (Int, Int, String) -> Void = { _, _, _ in }) throws -> [Entry] {
        let store = try Stores.open(storePath)
        let mrc = Set(try store.municipalities(in: region, withGeometry: false).compactMap(\.mrcCode)).sorted()
        guard !mrc.isEmpty else { throw TerritoryError.notFound("\(region) : aucune municipalité") }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let territories = [region] + (try mrc.map { try Territory.mrc($0) })
        var entries: [Entry] = []
        for (i, t) in territories.enumerated() {
            let report = try ReportBuilder.build(store: store, options: .init(territory: t, language: language, stylesDirectory: stylesDirectory))
            let base = t.level == .region ? "region-\(t.code)" : "mrc-\(t.code)"
            let doc = ReportDocument(report)
            let file = base + "." + format.rawValue
            let path = (directory as NSString).appendingPathComponent(file)
            switch format {
            case .html: try doc.html.write(toFile: path, atomically: true, encoding: .utf8)
            case .pdf: try PDFPrinter.print(html: doc.html, to: path)
            }
            entries.append(Entry(territory: t, name: report.portrait.territory.name, file: file))
            progress(i + 1, territories.count, report.portrait.territory.name)
        }
        try index(entries, language: language).write(toFile: (directory as NSString).appendingPathComponent("index.html"),
                                                     atomically: true, encoding: .utf8)
        return entries
    }

    static func index(_ entries: [Entry], language: Language) -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let title = (language == .fr ? "Atlas : " : "Atlas: ") + (entries.first?.name ?? "")
        let items = entries.map { e in
            "<li><a href=\"\(esc(e.file))\">\(esc(e.name))</a> (\(e.territory.level == .region ? (language == .fr ? "région" : "region") : "MRC") \(e.territory.code))</li>"
        }.joined(separator: "\n")
        return """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head><meta charset="utf-8"><title>\(esc(title))</title>
        <style>body{font-family:"DejaVu Sans",system-ui,sans-serif;max-width:40rem;margin:2rem auto;color:#222}li{margin:.3rem 0}</style></head>
        <body>
        <h1>\(esc(title))</h1>
        <ul>
        \(items)
        </ul>
        </body>
        </html>

        """
    }
}
