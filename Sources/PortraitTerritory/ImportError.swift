import PortraitGeometry

/// Something wrong in an input file: one line that names the file, the
/// feature (one-based index and code when known), the field and the problem.
public struct ImportError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case fileNotFound, notAGeoFile, emptyLayer, noGeometryColumn, missingCRS, unknownCRS
        case unknownField, unknownRole, presetLevelUnsupported
        case conflictingDuplicate, invalidGeometry, wrongGeometryType, missingGeometry
        case nonNumericCode, missingValue, wrongProvince, outsideQuebec, reprojection
        case noCoastline, noBoundaries
    }

    public var kind: Kind
    public var file: String
    /// "entité 12 (code 07005)" or nil when the whole file is at fault.
    public var location: String?
    public var problem: String

    public init(_ kind: Kind, file: String, location: String? = nil, _ problem: String) {
        self.kind = kind; self.file = file; self.location = location; self.problem = problem
    }

    public var description: String {
        [file, location, problem].compactMap { $0 }.joined(separator: " : ")
    }

    /// "entité 13 (code 07005)": one-based feature number and code.
    static func feature(_ index: Int, code: String? = nil) -> String {
        "entité \(index + 1)" + (code.map { " (code \($0))" } ?? "")
    }
}
