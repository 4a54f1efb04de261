import ArgumentParser
import Foundation
import PortraitImport
import PortraitModel
import PortraitRender
import PortraitStore
import PortraitTerritory

/// `portrait`: the command-line interface. Each subcommand parses its
/// arguments and calls one library function; nothing else lives here.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct PortraitCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "portrait",
        abstract: "Portraits territoriaux du Québec : limites, littoral et intérieur, indicateurs.",
        subcommands: [ImportCommand.self, ClassifyCommand.self, InfoCommand.self, PortraitReportCommand.self, PlanCommand.self, AtlasCommand.self, RenderCommand.self, GapsCommand.self, ExportCommand.self, PackageCommand.self, NearestCommand.self, ServeCommand.self, TilesCommand.self, StoreCommand.self, DemoCommand.self])

    public init() {}
}

/// `--store PATH`, shared by every command that touches the store.
struct StoreOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Magasin : fichier GeoPackage ou base postgresql://UTILISATEUR@HÔTE:PORT/BASE (défaut : $PORTRAIT_STORE, sinon geodata/portrait.gpkg).", valueName: "PATH|URL"))
    var store: String?

    var path: String { Stores.resolve(store) }
}

/// The one map from error kinds to exit codes and message prefixes
/// (64 stays ArgumentParser's, for mistakes in the arguments themselves).
enum Exit {
    static func code(for kind: ErrorKind) -> Int32 {
        switch kind {
        case .invalidInput, .notFound, .forbidden: 1   // the file or the request: the user can fix it
        case .internal: 2                  // Portrait or a C library failed
        case .unavailable: 3               // the store cannot be used now (absent, locked, read-only, full)
        }
    }

    static func prefix(for kind: ErrorKind) -> String {
        switch kind {
        case .invalidInput, .notFound, .forbidden: "erreur"
        case .unavailable: "indisponible"
        case .internal: "échec"
        }
    }
}

/// Runs an import: a store it creates is announced with its full path (a mistyped --store would otherwise fill a
/// new store nobody looks at without a word).
func reportingErrors(newStore store: StoreOption, _ body: () throws -> Void) throws {
    let path = store.path
    let isNew = !Stores.isDatabase(path) && !Stores.exists(path)
    try reportingErrors(body)
    if isNew, Stores.exists(path) {
        let absolute = ((path as NSString).isAbsolutePath ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path) as String)
        printErr("portrait : nouveau magasin créé : \((absolute as NSString).standardizingPath)\n")
    }
}

/// Runs `body`, printing any error as one French line on stderr with its kind's exit code.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ExitCode {
        throw e
    } catch let e as ValidationError {
        throw e
    } catch {
        let kind = ErrorKind.of(error)
        let line = String(describing: error).replacingOccurrences(of: "\n", with: " ")
        FileHandle.standardError.write(Data("portrait : \(Exit.prefix(for: kind)) : \(line)\n".utf8))
        throw ExitCode(Exit.code(for: kind))
    }
}

func printErr(_ s: String) {
    FileHandle.standardError.write(Data(s.utf8))
}

func printOut(_ s: String) {
    FileHandle.standardOutput.write(Data(s.utf8))
}

// The values are listed in French in each option's help (`Choices`), not by ArgumentParser.
extension Level: ExpressibleByArgument { public static var allValueStrings: [String] { [] } }
extension BoundaryPreset: ExpressibleByArgument { public static var allValueStrings: [String] { [] } }
extension Language: ExpressibleByArgument { public static var allValueStrings: [String] { [] } }

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
    static var allValueStrings: [String] { [] }
}

/// The values an option accepts, written into its help from the type itself: the help never lists fewer or more.
enum Choices {
    static func of<T: CaseIterable & RawRepresentable>(_ t: T.Type) -> String where T.RawValue == String {
        "(valeurs : " + t.allCases.map(\.rawValue).joined(separator: ", ") + ")"
    }

    static func help<T: CaseIterable & RawRepresentable>(_ text: String, _ t: T.Type) -> ArgumentHelp where T.RawValue == String {
        ArgumentHelp("\(text) \(of(t)).")
    }
}

extension PortraitCommand {
    /// Entry point: parses the arguments and runs the command, awaiting the asynchronous ones (`serve`).
    public static func start() async {
        // Every import also rewrites, in its transaction, the layer and styles QGIS opens.
        GISLayers.deriveOnEveryImport(stylesDirectory: StyleCatalogue.directory(nil))
        let args = Array(CommandLine.arguments.dropFirst())
        // A misspelt command, then an option the command does not take, named first with the nearest.
        if let c = FrenchUsage.unknownCommand(args) {
            printErr("portrait : erreur : commande inconnue « \(c.given) »"
                     + (c.suggestion.map { " ; vouliez-vous dire « \($0) » ?" } ?? " ; commandes : \(c.choices.joined(separator: ", "))")
                     + "\n  voir « \(c.command) --help »\n")
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        if let u = FrenchUsage.unknownOption(args) {
            printErr("portrait : erreur : option inconnue \(u.given)" + (u.suggestion.map { " ; vouliez-vous dire \($0) ?" } ?? "")
                     + "\n  voir « \(u.command) --help »\n")
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // Help and our own exit codes as ArgumentParser gives them; its own mistakes said in French.
            let code = exitCode(for: error)
            if error is ExitCode { exit(withError: error) }
            if code == .success {
                printOut(FrenchUsage.help(fullMessage(for: error)) + "\n")
                Foundation.exit(0)
            }
            printErr(FrenchUsage.translate(fullMessage(for: error), args: args))
            Foundation.exit(code.rawValue)
        }
    }
}

/// `--region CODE | --mrc CODE | --municipality CODE | --all | --territory NOM | --codes C1,C2`, shared by the
/// commands that work on one territory: parsed into a `Territory` once, here.
struct TerritoryOption: ParsableArguments {
    @Option(help: "Région : son code (ex. 01) ou son nom (ex. Bas-Saint-Laurent).") var region: String?
    @Option(help: "MRC : son code (ex. 09) ou son nom (ex. \"La Mitis\") ; portrait info liste les codes.") var mrc: String?
    @Option(help: "Municipalité : son code géographique (ex. 10070) ou son nom (un nom que portent plusieurs municipalités est refusé avec leurs codes).") var municipality: String?
    @Flag(help: "L'ensemble des municipalités du magasin.") var all = false
    @Option(name: .customLong("territory"), help: "Territoire personnalisé importé (portrait import territories), par son nom ou son identifiant.") var custom: String?
    @Option(help: "Territoire personnalisé donné ici : codes municipaux séparés par des virgules (ex. 10070,10060).") var codes: String?

    func validate() throws {
        let given = [region != nil, mrc != nil, municipality != nil, all, custom != nil, codes != nil].filter { $0 }.count
        if given != 1 {
            throw ValidationError("donnez un seul territoire : --region CODE, --mrc CODE, --municipality CODE, --all, --territory NOM ou --codes C1,C2")
        }
    }

    /// The territory asked for, a name read in the store (`TerritoryLookup`); an invalid code or an unknown or shared
    /// name is reported like any bad input (exit code 1).
    func territory(store: StoreOption) throws -> Territory {
        func code(_ level: Level, _ raw: String) throws -> String {
            let t = raw.trimmingCharacters(in: .whitespaces)
            if !t.isEmpty, t.allSatisfy({ $0.isASCII && $0.isNumber }) { return t }
            return try TerritoryLookup.code(level, t, store: try Stores.open(store.path))
        }
        if let region { return try .region(try code(.region, region)) }
        if let mrc { return try .mrc(try code(.mrc, mrc)) }
        if let municipality { return try .municipality(try code(.municipality, municipality)) }
        if all { return .all }
        if let custom { return try .custom(custom) }
        return try .codes(codes ?? "")
    }
}

