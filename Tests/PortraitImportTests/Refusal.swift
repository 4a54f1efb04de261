import PortraitImport
import PortraitModel
import PortraitTestSupport
import Testing

/// `body` is refused as bad input, its message holds every needle, and the store is byte for byte as it was.
func expectRefused(_ needles: [String], store: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Any) {
    let before = fingerprint(store)
    do {
        _ = try body()
        Issue.record("accepted", sourceLocation: sourceLocation)
    } catch {
        for n in needles { #expect("\(error)".contains(n), "« \(n) » absent de : \(error)", sourceLocation: sourceLocation) }
        #expect((error as? ImportError)?.kind == .invalidInput, "\(error)", sourceLocation: sourceLocation)
    }
    #expect(fingerprint(store) == before, "the store changed", sourceLocation: sourceLocation)
}
