import ArgumentParser
import Foundation
import PortraitModel

/// The command line's own mistakes in French: an unknown option named with the nearest one, a missing value, a bad
/// choice, an unexpected argument, a misspelt command. ArgumentParser finds them; this says them.
enum FrenchUsage {
    /// The subcommands named at the start of `args` (`import indicators` → [ImportCommand, ImportIndicators]).
    static func commandPath(_ args: [String]) -> [any ParsableCommand.Type] {
        var path: [any ParsableCommand.Type] = [PortraitCommand.self]
        for a in args {
            guard !a.hasPrefix("-"), let next = path.last!.configuration.subcommands.first(where: { name(of: $0) == a }) else { break }
            path.append(next)
        }
        return path
    }

    static func name(of type: any ParsableCommand.Type) -> String {
        type.configuration.commandName ?? String(describing: type).lowercased()
    }

    /// The options a command takes, read from its own help (its option groups included).
    static func options(of type: any ParsableCommand.Type) -> Set<String> {
        let help = PortraitCommand.helpMessage(for: type, includeHidden: true, columns: 10_000)
        var found: Set<String> = ["--help", "-h"]
        let regex = try! NSRegularExpression(pattern: #"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])"#)
        for m in regex.matches(in: help, range: NSRange(help.startIndex..., in: help)) {
            if let r = Range(m.range(at: 1), in: help) { found.insert(String(help[r])) }
        }
        return found
    }

    /// A command name that is none of the commands at its place (`portriat`, `import indicatorz`), with the nearest.
    static func unknownCommand(_ args: [String]) -> (given: String, suggestion: String?, command: String, choices: [String])? {
        let path = commandPath(args)
        let subcommands = path.last!.configuration.subcommands.map(name(of:))
        guard !subcommands.isEmpty, path.count - 1 < args.count else { return nil }
        let given = args[path.count - 1]
        guard !given.hasPrefix("-"), !subcommands.contains(given) else { return nil }
        return (given, nearest(given, among: subcommands), path.map(name(of:)).joined(separator: " "), subcommands)
    }

    /// An option of `args` that the command does not take, with the nearest it takes; checked before ArgumentParser,
    /// whose checks of a territory's options would otherwise speak first.
    static func unknownOption(_ args: [String]) -> (given: String, suggestion: String?, command: String)? {
        let path = commandPath(args)
        guard path.count > 1, path.last!.configuration.subcommands.isEmpty else { return nil }
        let known = options(of: path.last!)
        for a in args {
            if a == "--" { break }
            guard a.hasPrefix("-"), a.count > 1, !a.dropFirst().first!.isNumber, a.dropFirst().first != "." else { continue }
            let option = String(a.split(separator: "=", maxSplits: 1)[0])
            guard !known.contains(option) else { continue }
            return (option, nearest(option, among: known), path.map(name(of:)).joined(separator: " "))
        }
        return nil
    }

    /// The closest of `candidates` to `word`, when it is close enough to be what was meant.
    static func nearest(_ word: String, among candidates: some Sequence<String>) -> String? {
        var best: (name: String, d: Int)?
        for c in candidates {
            let d = Names.editDistance(word, c)
            if best == nil || d < best!.d || (d == best!.d && c < best!.name) { best = (c, d) }
        }
        guard let best, best.d <= max(2, word.count / 3) else { return nil }
        return best.name
    }

    /// ArgumentParser's English message, in French, with the command's help named.
    static func translate(_ english: String, args: [String]) -> String {
        let path = commandPath(args)
        let command = path.map(name(of:)).joined(separator: " ")
        var out: [String] = []
        for line in english.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("Error: ") {
                out.append("portrait : erreur : " + sentence(String(line.dropFirst(7)), path: path))
            } else if line.hasPrefix("Help:") {
                out.append("  aide : " + line.dropFirst(5).trimmingCharacters(in: .whitespaces))
            } else if line.hasPrefix("Usage: ") {
                out.append("  usage : " + line.dropFirst(7).replacingOccurrences(of: "<subcommand>", with: "<commande>"))
            } else if line.contains("for more information") {
                out.append("  voir « \(command) --help »")
            } else {
                out.append(line)
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// ArgumentParser's help page with its own words in French.
    static func help(_ text: String) -> String {
        var t = text
        for (en, fr) in [("OVERVIEW:", "RÉSUMÉ :"), ("USAGE:", "USAGE :"), ("ARGUMENTS:", "ARGUMENTS :"), ("OPTIONS:", "OPTIONS :"),
                         ("SUBCOMMANDS:", "COMMANDES :"), ("Show help information.", "Afficher l'aide."),
                         ("<subcommand>", "<commande>"), ("(default:", "(défaut :")] {
            t = t.replacingOccurrences(of: en, with: fr)
        }
        if let r = t.range(of: #"  See '[^']+ help <subcommand>' for detailed help\."#, options: .regularExpression) {
            t.replaceSubrange(r, with: "  Aide d'une commande : portrait <commande> --help")
        }
        return t.replacingOccurrences(of: "  See 'portrait help <commande>' for detailed help.", with: "  Aide d'une commande : portrait <commande> --help")
    }

    static func sentence(_ s: String, path: [any ParsableCommand.Type]) -> String {
        func match(_ pattern: String) -> [String]? {
            let r = try! NSRegularExpression(pattern: "^" + pattern + "$", options: [.dotMatchesLineSeparators])
            guard let m = r.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) else { return nil }
            return (1..<m.numberOfRanges).map { Range(m.range(at: $0), in: s).map { String(s[$0]) } ?? "" }
        }
        if let g = match(#"Unknown option '(.+?)'(?:\. Did you mean '(.+?)'\?)?"#) {
            return "option inconnue \(g[0])" + (g[1].isEmpty ? "" : " ; vouliez-vous dire \(g[1]) ?")
        }
        if let g = match(#"Missing value for '(.+?)'"#) { return "valeur manquante pour \(g[0])" }
        if let g = match(#"Missing expected argument '(.+?)'"#) { return "argument obligatoire manquant : \(g[0])" }
        if let g = match(#"Missing one of: '(.+)'"#) { return "il manque l'un de : \(g[0])" }
        if let g = match(#"The value '(.*?)' is invalid for '(.+?)'(.*)"#) {
            return "valeur « \(g[0]) » invalide pour \(g[1])" + (g[2].isEmpty ? "" : " :" + g[2].replacingOccurrences(of: "Please provide one of", with: " valeurs possibles :"))
        }
        if let g = match(#"The value '(.*?)' is invalid\.(.*)"#) { return "valeur « \(g[0]) » invalide" + g[1] }
        if let g = match(#"Unexpected argument '(.+?)'"#) {
            let subcommands = path.last!.configuration.subcommands.map(name(of:))
            let hint = subcommands.isEmpty ? nil : nearest(g[0], among: subcommands)
            return "argument inattendu « \(g[0]) »" + (hint.map { " ; vouliez-vous dire « \($0) » ?" }
                ?? (subcommands.isEmpty ? "" : " ; commandes : \(subcommands.joined(separator: ", "))"))
        }
        if let g = match(#"(\d+) unexpected arguments: '(.+?)'(.*)"#) {
            let subcommands = path.last!.configuration.subcommands.map(name(of:))
            let hint = subcommands.isEmpty ? nil : nearest(g[1], among: subcommands)
            return "\(g[0]) arguments inattendus : « \(g[1]) »\(g[2].replacingOccurrences(of: "'", with: ""))"
                + (hint.map { " ; vouliez-vous dire « \($0) » ?" } ?? (subcommands.isEmpty ? "" : " ; commandes : \(subcommands.joined(separator: ", "))"))
        }
        if let g = match(#"The option '(.+?)' does not take any value, but '(.+?)' was specified\."#) {
            return "l'option \(g[0]) ne prend pas de valeur ; « \(g[1]) » a été donné"
        }
        if let g = match(#"Value to be set with (.+) had already been set with (.+)"#) { return "\(g[0]) donné deux fois (déjà par \(g[1]))" }
        return s
    }
}
