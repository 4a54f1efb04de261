import ArgumentParser
import PortraitTerritory

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Territoire fictif de démonstration.")
    func run() throws {}
}
