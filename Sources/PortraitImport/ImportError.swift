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
        [file, location, problem].compactMap { $0 }.joined(separator: " : ")
    }

    /// "entité 13 (code 07005)": one-based feature number and code.
    static func feature(_ index: Int, code: String? = nil) -> String {
        "entité \(index + 1)" + (code.map { " (code \($0))" } ?? "")
    }
}
