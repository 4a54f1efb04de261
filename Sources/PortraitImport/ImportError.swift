import PortraitGeometry
import PortraitModel

/// Something wrong in an input file: one line that names the file, the
/// feature (one-based index and code when known), the field and the problem.
public struct ImportError: PortraitError, Hashable, Sendable {
    /// What went wrong, finer than the error kind.
    public enum Reason: String, Hashable, Sendable {
        case fileNotFound, notAGeoFile, emptyLayer, noGeometryColumn, missingCRS, unknownCRS
        case unknownField, unknownRole, presetLevelUnsupported
        case conflictingDuplicate, invalidGeometry, wrongGeometryType, missingGeometry
        case nonNumericCode, missingValue, wrongProvince, outsideQuebec, reprojection
        case noCoastline, noBoundaries
        case truncated, badEncoding, fieldCount
    }

    public var reason: Reason
    public var file: String
    /// "entité 12 (code 07005)" or nil when the whole file is at fault.
    public var location: String?
    public var problem: String

    public init(_ reason: Reason, file: String, location: String? = nil, _ problem: String) {
        self.reason = reason; self.file = file; self.location = location; self.problem = problem
    }

    /// A missing input file is not found; data the import needs but the store lacks is not found
    /// either; everything else is a fault of the file or of the arguments.
    public var kind: ErrorKind {
        switch reason {
        case .fileNotFound, .noCoastline, .noBoundaries: .notFound
        default: .invalidInput
        }
    }

    public var description: String {
        Self.printable([file, location, problem].compactMap { $0 }.joined(separator: " : "))
    }

    /// The message without the control characters a file's contents may carry (a header's escape sequences would
    /// otherwise reach the terminal or the log as they are): line breaks and tabs shown as ↵ and →, the rest as �.
    static func printable(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u.value {
            case 0x0A, 0x0D: out.append("↵")
            case 0x09: out.append("→")
            case 0..<0x20, 0x7F...0x9F: out.append("\u{FFFD}")
            default: out.append(u)
            }
        }
        return String(out)
    }

    /// "entité 13 (code 07005)": one-based feature number and code.
    static func feature(_ index: Int, code: String? = nil) -> String {
        "entité \(index + 1)" + (code.map { " (code \($0))" } ?? "")
    }
}
