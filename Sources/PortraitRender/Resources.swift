import Foundation

/// Finds the folders Portrait ships beside its code (`styles/`, `web/`) from the
/// running executable, not from the working directory: the installed binary
/// works from any folder. Looked up, in order: the executable's folder and its
/// ancestors (a build tree `.build/release/portrait` finds the checkout's
/// folders), then `../share/portrait/` beside the executable (an install prefix),
/// then the working directory.
public enum Resources {
    /// The folder `name` (e.g. "styles") holding `marker` (e.g. "littoral.json"), or `name` relative to the working directory.
    public static func directory(_ name: String, containing marker: String) -> String {
        let fm = FileManager.default
        var candidates: [String] = []
        if let exe = executablePath() {
            let bin = (exe as NSString).deletingLastPathComponent
            var dir = bin
            for _ in 0..<6 {
                candidates.append((dir as NSString).appendingPathComponent(name))
                let parent = (dir as NSString).deletingLastPathComponent
                if parent == dir { break }
                dir = parent
            }
            candidates.append((bin as NSString).appendingPathComponent("../share/portrait/\(name)"))
        }
        for c in candidates where fm.fileExists(atPath: (c as NSString).appendingPathComponent(marker)) {
            return (c as NSString).standardizingPath
        }
        return name
    }

    /// The running executable, symbolic links resolved.
    static func executablePath() -> String? {
        guard let p = Bundle.main.executablePath ?? CommandLine.arguments.first.flatMap({ $0.contains("/") ? $0 : nil }) else { return nil }
        return (URL(fileURLWithPath: p).resolvingSymlinksInPath().path)
    }

    /// `styles/`, found from the executable.
    public static var styles: String { directory("styles", containing: "littoral.json") }
    /// `geodata/bsl/`, the compact real dataset shipped (and its SYNTHETIC companions in `synthetique/`).
    public static var bslDataset: String { directory("geodata/bsl", containing: "bsl_municipalites_sda.geojson") }
    /// `web/` (the viewer), found from the executable.
    public static var web: String { directory("web", containing: "index.html") }
}
