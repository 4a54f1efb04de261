import ArgumentParser
import Foundation
@testable import PortraitCLI
import PortraitImport
import PortraitRender
import PortraitModel
import PortraitStore
import PortraitTestSupport
import Testing

/// The everyday slips of a newcomer, each answered in French with what is wrong and what to do; a refusal exits
/// non-zero and leaves nothing behind.
@Suite(.serialized) struct NewcomerTests {
    /// The real BSL dataset, loaded once as `scripts/run` loads it.
    static let store: Result<String, any Error> = Result {
        let s = tempDir("portrait-newcomer") + "/bsl.gpkg"
        let exe = try #require(Binary.url)
        _ = try ExternalTool.run(projectRoot + "/scripts/load-bsl", [exe.path, s])
        return s
    }

    static func english(_ s: String) -> Bool {
        ["Error:", "Usage:", "Help:", "See '", "Missing", "Unknown option", "invalid for", "Unexpected argument"].contains { s.contains($0) }
    }

    @Test func anUnknownOptionIsNamedWithTheNearest() throws {
        let r = try Binary.run(["portrait", "--regoin", "01", "--store", try Self.store.get()])
        #expect(r.status != 0 && r.stdout.isEmpty)
        #expect(r.stderr.contains("option inconnue --regoin ; vouliez-vous dire --region ?"), "\(r.stderr)")
        #expect(!r.stderr.contains("donnez un seul territoire") && !Self.english(r.stderr), "\(r.stderr)")
        let cmd = try Binary.run(["portriat", "--region", "01"])
        #expect(cmd.status != 0 && cmd.stderr.contains("vouliez-vous dire « portrait » ?"), "\(cmd.stderr)")
        let sub = try Binary.run(["import", "indicatorz", "x.csv"])
        #expect(sub.status != 0 && sub.stderr.contains("vouliez-vous dire « indicators » ?"), "\(sub.stderr)")
    }

    @Test func argumentMistakesAreInFrench() throws {
        let missing = try Binary.run(["portrait", "--region"])
        #expect(missing.status != 0 && missing.stderr.contains("valeur manquante pour --region"), "\(missing.stderr)")
        let choice = try Binary.run(["portrait", "--region", "01", "--format", "docx"])
        #expect(choice.status != 0 && choice.stderr.contains("valeur « docx » invalide pour --format"), "\(choice.stderr)")
        #expect(choice.stderr.contains("valeurs : json, md, html, pdf, csv, xlsx"), "the values accepted: \(choice.stderr)")
        let required = try Binary.run(["nearest", "--from", "a.csv"])
        #expect(required.status != 0 && required.stderr.contains("argument obligatoire manquant : --to"), "\(required.stderr)")
        let extra = try Binary.run(["portrait", "--region", "01", "encore"])
        #expect(extra.status != 0 && extra.stderr.contains("argument inattendu « encore »"), "\(extra.stderr)")
        for r in [missing, choice, required, extra] { #expect(!Self.english(r.stderr), "\(r.stderr)") }
        let help = try Binary.run(["import", "indicators", "--help"])
        #expect(help.status == 0 && help.stdout.contains("OPTIONS :") && help.stdout.contains("(défaut : municipality)"))
        #expect(!help.stdout.contains("default:") && !help.stdout.contains("Show help information"))
    }

    /// A port in use: the port and how to choose another, exit 3 (unavailable), at once.
    @Test func aPortInUseIsNamed() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &addr) { p in
            try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                try #require(bind(fd, sa, len) == 0 && listen(fd, 1) == 0)
                try #require(getsockname(fd, sa, &len) == 0)
            }
        }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        let r = try Binary.run(["serve", "--host", "127.0.0.1", "--port", String(port), "--store", try Self.store.get()])
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stderr.contains("le port \(port) est déjà pris sur 127.0.0.1") && r.stderr.contains("--port \(port + 1)"), "\(r.stderr)")
        #expect(!r.stderr.contains("bind(") && !r.stderr.contains("errno"), "\(r.stderr)")
    }

    /// A store path under a file, or in a folder that does not exist: the part at fault is named, nothing is created.
    @Test func aStorePathThatCannotBeMade() throws {
        let dir = tempDir("portrait-newcomer")
        let file = try write("x", "un-fichier.txt", in: dir)
        let boundaries = projectRoot + "/geodata/bsl/bsl_mrc_sda.geojson"
        let underFile = try Binary.run(["import", "boundaries", boundaries, "--level", "mrc", "--store", file + "/magasin.gpkg"])
        #expect(underFile.status == 1 && underFile.stderr.contains("« \(file) » est un fichier, pas un dossier"), "\(underFile.stderr)")
        #expect(!underFile.stderr.contains("NSCocoaErrorDomain") && !underFile.stderr.contains("SQLite"), "\(underFile.stderr)")
        let typo = dir + "/geodatta/sous/magasin.gpkg"
        let mistyped = try Binary.run(["import", "boundaries", boundaries, "--level", "mrc", "--store", typo])
        #expect(mistyped.status == 1 && mistyped.stderr.contains("le dossier « \(dir)/geodatta/sous » n'existe pas"), "\(mistyped.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/geodatta"), "a mistyped folder is never created")
    }

    /// An import that makes a new store says so, with its full path; the next import into it does not.
    @Test func aNewStoreIsAnnounced() throws {
        let dir = tempDir("portrait-newcomer")
        let boundaries = projectRoot + "/geodata/bsl/bsl_mrc_sda.geojson"
        let first = try Binary.run(["import", "boundaries", boundaries, "--level", "mrc", "--store", dir + "/./neuf.gpkg"])
        #expect(first.status == 0 && first.stderr.contains("nouveau magasin créé : \(dir)/neuf.gpkg"), "\(first.stderr)")
        let second = try Binary.run(["import", "boundaries", boundaries, "--level", "mrc", "--store", dir + "/neuf.gpkg"])
        #expect(second.status == 0 && !second.stderr.contains("nouveau magasin"), "\(second.stderr)")
    }

    /// `--mrc` and `--region` take a name; a name that matches none is refused with the nearest names.
    @Test func territoriesByTheirNames() throws {
        let s = try Self.store.get()
        let byName = try Binary.run(["portrait", "--mrc", "La Mitis", "--format", "md", "--store", s])
        let byCode = try Binary.run(["portrait", "--mrc", "09", "--format", "md", "--store", s])
        #expect(byName.status == 0 && byName.stdout.hasPrefix("# Portrait territorial : La Mitis (MRC 09)"), "\(byName.stderr)")
        func dated(_ s: String) -> String { s.replacingOccurrences(of: #"édition du [^\n]*"#, with: "", options: .regularExpression) }
        #expect(dated(byName.stdout) == dated(byCode.stdout))
        for (option, name, code) in [("--mrc", "MRC de La Mitis", "09"), ("--region", "Bas-Saint-Laurent", "01"), ("--municipality", "Saint-Fabien", "10070")] {
            let r = try Binary.run(["portrait", option, name, "--format", "json", "--store", s])
            #expect(r.status == 0 && r.stdout.contains("\"code\" : \"\(code)\""), "\(option) \(name): \(r.stderr)")
        }
        let unknown = try Binary.run(["portrait", "--mrc", "Rimouski", "--store", s])
        #expect(unknown.status == 1 && unknown.stderr.contains("MRC « Rimouski » introuvable ; vouliez-vous dire : Rimouski-Neigette (10) ?"), "\(unknown.stderr)")
        let info = try Binary.run(["info", "--store", s])
        #expect(info.stdout.contains("01 Bas-Saint-Laurent : MRC 07 La Matapédia, 08 La Matanie, 09 La Mitis"), "\(info.stdout)")
    }

    @Test(.enabled(if: ExternalTool.chromium != nil || RealData.isCI, "chromium absent"))
    func theMitisPDFByName() throws {
        let out = tempDir("portrait-newcomer") + "/la-mitis.pdf"
        let r = try Binary.run(["portrait", "--mrc", "La Mitis", "--format", "pdf", "-o", out, "--store", try Self.store.get()])
        #expect(r.status == 0, "\(r.stderr)")
        let pdf = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(pdf.starts(with: Data("%PDF".utf8)) && pdf.count > 10_000)
    }

    /// `nearest` keeps the places' own columns (code, name) and names the nearest service.
    @Test func nearestNamesThePlaceAndTheService() throws {
        let dir = tempDir("portrait-newcomer")
        let places = try write("code,nom,lat,lon\r\n10043,Rimouski,48.45,-68.52\r\n07005,Sainte-Marguerite-Marie,48.33,-67.08\r\n99999,Sans point,,\r\n", "lieux.csv", in: dir)
        let services = try write(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"S1","nom":"=École du Havre","categorie":"ecole"},"geometry":{"type":"Point","coordinates":[-68.53,48.45]}},{"type":"Feature","properties":{"id":"S2","nom":"CLSC d'Amqui","categorie":"sante"},"geometry":{"type":"Point","coordinates":[-67.43,48.46]}}]}"#, "services.geojson", in: dir)
        let r = try Binary.run(["nearest", "--from", places, "--to", services])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "ligne,code,nom,km_vol_oiseau,service_ligne,service_id,service_nom,service_categorie")
        #expect(lines.count == 3 && lines[1].hasPrefix("1,10043,Rimouski,0.") && lines[1].hasSuffix(",1,S1,'=École du Havre,ecole"), "\(lines)")
        #expect(lines[2].hasPrefix("2,07005,Sainte-Marguerite-Marie,") && lines[2].hasSuffix(",2,S2,CLSC d'Amqui,sante"), "\(lines)")
        #expect(r.stderr.contains("1 lieu(x) sans point") && r.stderr.contains("lignes 3"), "\(r.stderr)")
    }

    /// Every --format, --preset and --style of every command lists, in its help, exactly the values the binary
    /// accepts: each candidate value is parsed (in process) and kept when it is not refused as invalid.
    @Test func helpListsWhatTheBinaryAccepts() throws {
        func leaves(_ t: any ParsableCommand.Type, _ path: [String]) -> [([String], any ParsableCommand.Type)] {
            let subs = t.configuration.subcommands
            return subs.isEmpty ? [(path, t)] : subs.flatMap { leaves($0, path + [FrenchUsage.name(of: $0)]) }
        }
        let universe: [String: [String]] = [
            "--format": ["text", "json", "md", "html", "pdf", "csv", "xlsx", "geojson", "svg", "png", "mvt", "docx", "gpkg"],
            "--preset": BoundaryPreset.allCases.map(\.rawValue) + IndicatorPreset.allCases.map(\.rawValue) + ServicePreset.allCases.map(\.rawValue) + ["isq", "zz"],
            "--style": StyleCatalogue.names(in: StyleCatalogue.directory(nil)) + ["inexistant"],
        ]
        #expect(universe["--style"]!.count > 10)
        var checked = 0
        for (path, t) in leaves(PortraitCommand.self, []) {
            let help = PortraitCommand.helpMessage(for: t, columns: 100_000)
            for (option, candidates) in universe {
                guard let line = help.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(option + " <") }) else { continue }
                let listed = try #require(line.firstMatch(of: /\(valeurs : ([^)]*)\)/)?.1, "\(path) \(option): no values in « \(line) »")
                    .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                let accepted = candidates.filter { v in
                    // A style is checked once the command's other arguments are there (its validation).
                    let rest = option == "--style" ? ["-o", "carte.svg", "--region", "01"] : []
                    do { _ = try PortraitCommand.parseAsRoot(path + [option, v] + rest); return true } catch {
                        let m = PortraitCommand.fullMessage(for: error)
                        return !m.contains("is invalid for '\(option)") && !m.contains("style « \(v) » inconnu")
                    }
                }
                #expect(Set(listed) == Set(accepted), "\(path.joined(separator: " ")) \(option): help \(listed), binary \(accepted)")
                checked += 1
            }
        }
        #expect(checked >= 15, "options checked: \(checked)")
    }
}
