import Foundation

extension JSONEncoder {
    /// Sorted keys, no escaped slashes: the same bytes for the same value (HTTP answers, stored reports).
    public static var stable: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    /// `stable`, indented: what the CLI prints with `--format json`.
    public static var stablePretty: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return e
    }
}
