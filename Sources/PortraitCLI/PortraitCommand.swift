import ArgumentParser
import Foundation
import PortraitTerritory

/// `portrait`: the command-line interface. Each subcommand parses its
/// arguments and calls one library function; nothing else lives here.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct PortraitCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "portrait",
        abstract: "Portraits territoriaux du Québec : limites, littoral et intérieur, indicateurs.",
        subcommands: [ImportCommand.self, ClassifyCommand.self, InfoCommand.self, PortraitReportCommand.self, RenderCommand.self, GapsCommand.self, ExportCommand.self, NearestCommand.self, ServeCommand.self, TilesCommand.self, DemoCommand.self])

    public init() {}
}

/// `--store PATH`, shared by every command that touches the store.
struct StoreOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Magasin GeoPackage (défaut : $PORTRAIT_STORE, sinon geodata/portrait.gpkg).", valueName: "PATH"))
    var store: String?

    var path: String { TerritoryStore.resolvePath(store) }
}

/// Exit codes: 1 bad input (the file, the arguments), 2 a library or store failure.
enum Exit {
    static let badInput: Int32 = 1
    static let failure: Int32 = 2
}

/// Runs `body`, printing any error as one line on stderr with a distinct exit code.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ImportError {
        FileHandle.standardError.write(Data("portrait : erreur : \(e.description)\n".utf8))
        throw ExitCode(Exit.badInput)
    } catch let e as ExitCode {
        throw e
    } catch {
        FileHandle.standardError.write(Data("portrait : échec : \(error)\n".utf8))
        throw ExitCode(Exit.failure)
    }
}

func printOut(_ s: String) {
    FileHandle.standardOutput.write(Data(s.utf8))
}

extension Level: ExpressibleByArgument {}
extension BoundaryPreset: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

extension PortraitCommand {
    /// Entry point: parses the arguments and runs the command, awaiting the asynchronous ones (`serve`).
    public static func start() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// `--region CODE | --mrc CODE`, shared by the commands that work on one territory.
struct TerritoryOption: ParsableArguments {
    @Option(help: "Code de région (ex. 01).") var region: String?
    @Option(help: "Code de MRC (ex. 10).") var mrc: String?

    func validate() throws {
        if (region == nil) == (mrc == nil) { throw ValidationError("donnez --region CODE ou --mrc CODE (un seul)") }
    }

    var level: Level { region != nil ? .region : .mrc }
    var code: String { region ?? mrc ?? "" }
}
