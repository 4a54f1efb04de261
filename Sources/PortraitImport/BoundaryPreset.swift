import PortraitModel

/// Which fields of a boundary file hold what, for each level.
public enum BoundaryPreset: String, CaseIterable, Codable, Sendable {
    /// MRNF Système sur le découpage administratif (Données Québec).
    case sda
    /// Statistics Canada census subdivisions (CSD) and divisions (CD).
    case statcan
    /// Fields given one by one with `--field role=FIELD`.
    case custom

    /// The roles a field can play.
    public enum Role: String, CaseIterable, Sendable {
        case code, name, designation, mrc, region, province
    }

    /// Candidate field names per role (first present wins); `code` and `name` are required.
    public func fields(for level: Level) -> [Role: [String]] {
        switch (self, level) {
        case (.sda, .municipality):
            [.code: ["MUS_CO_GEO"], .name: ["MUS_NM_MUN"], .designation: ["MUS_CO_DES"],
             .mrc: ["MRS_CO_MRC"], .region: ["RES_CO_REG", "MRS_CO_REG"]]
        case (.sda, .mrc):
            [.code: ["MRS_CO_MRC"], .name: ["MRS_NM_MRC"], .region: ["MRS_CO_REG", "RES_CO_REG"]]
        case (.sda, .region):
            [.code: ["RES_CO_REG"], .name: ["RES_NM_REG"]]
        case (.statcan, .municipality):
            [.code: ["CSDUID"], .name: ["CSDNAME"], .designation: ["CSDTYPE"], .mrc: ["CDUID"], .province: ["PRUID"]]
        case (.statcan, .mrc):
            [.code: ["CDUID"], .name: ["CDNAME"], .province: ["PRUID"]]
        case (.statcan, .region), (.custom, _):
            [:]
        }
    }

    /// How the raw code is turned into a Portrait code.
    func normaliseCode(_ raw: String, level: Level) throws(Codes.Problem) -> String {
        switch (self, level) {
        case (.statcan, .municipality): try Codes.fromCSDUID(raw)
        case (.statcan, .mrc): try Codes.fromCDUID(raw)
        default: try Codes.normalise(raw, level: level)
        }
    }

    func normaliseMRC(_ raw: String) throws(Codes.Problem) -> String {
        self == .statcan ? try Codes.fromCDUID(raw) : try Codes.mrc(raw)
    }

    func normaliseDesignation(_ raw: String) -> String {
        self == .statcan ? (Designation.fromStatCanCSDType[raw] ?? raw) : raw
    }
}
