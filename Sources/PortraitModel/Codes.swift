import Foundation

/// Quebec geographic codes and their normalised forms.
///
/// - municipal code (`MUS_CO_GEO`): 5 digits with leading zeros ("07005");
///   Statistics Canada's CSDUID is "24" + that code (2410043 → "10043");
/// - MRC code (`MRS_CO_MRC`): at least 2 digits ("07", "371"); StatCan's
///   CDUID is "24" + the MRC code for Quebec's census divisions (2410 → "10");
/// - region code (`RES_CO_REG`): 2 digits ("01" … "17").
public enum Codes {
    public enum Problem: Error, Equatable, Sendable {
        case notNumeric
        case tooLong(max: Int)
        case wrongProvince(String)
    }

    /// Digits only, leading zeros removed, then padded to `width`.
    static func normalise(_ raw: String, width: Int, maxWidth: Int) throws(Problem) -> String {
        let t = raw.trimmingSpaces()
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .notNumeric }
        let stripped = String(t.drop(while: { $0 == "0" }))
        guard stripped.count <= maxWidth else { throw .tooLong(max: maxWidth) }
        return String(repeating: "0", count: max(0, width - stripped.count)) + stripped
    }

    /// "7005", "07005" → "07005".
    public static func municipal(_ raw: String) throws(Problem) -> String { try normalise(raw, width: 5, maxWidth: 5) }
    /// "7", "07", "007" → "07"; "371" → "371".
    public static func mrc(_ raw: String) throws(Problem) -> String { try normalise(raw, width: 2, maxWidth: 3) }
    /// "1", "01" → "01".
    public static func region(_ raw: String) throws(Problem) -> String { try normalise(raw, width: 2, maxWidth: 2) }

    /// The names of Quebec's 17 administrative regions (MAMH, Répertoire des municipalités; the regions' decree):
    /// a region is named even when its boundary layer is not imported.
    public static let regionNames: [String: String] = [
        "01": "Bas-Saint-Laurent", "02": "Saguenay–Lac-Saint-Jean", "03": "Capitale-Nationale", "04": "Mauricie",
        "05": "Estrie", "06": "Montréal", "07": "Outaouais", "08": "Abitibi-Témiscamingue", "09": "Côte-Nord",
        "10": "Nord-du-Québec", "11": "Gaspésie–Îles-de-la-Madeleine", "12": "Chaudière-Appalaches", "13": "Laval",
        "14": "Lanaudière", "15": "Laurentides", "16": "Montérégie", "17": "Centre-du-Québec",
    ]

    public static func normalise(_ raw: String, level: Level) throws(Problem) -> String {
        switch level {
        case .municipality: try municipal(raw)
        case .mrc: try mrc(raw)
        case .region: try region(raw)
        }
    }

    /// CSDUID "2410043" → "10043". Non-Quebec CSDUIDs (not starting with 24) are rejected.
    public static func fromCSDUID(_ raw: String) throws(Problem) -> String {
        let t = raw.trimmingSpaces()
        guard t.count == 7, t.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .notNumeric }
        guard t.hasPrefix("24") else { throw .wrongProvince(String(t.prefix(2))) }
        return String(t.dropFirst(2))
    }

    /// CDUID "2410" → "10".
    public static func fromCDUID(_ raw: String) throws(Problem) -> String {
        let t = raw.trimmingSpaces()
        guard t.count == 4, t.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .notNumeric }
        guard t.hasPrefix("24") else { throw .wrongProvince(String(t.prefix(2))) }
        return try mrc(String(t.dropFirst(2)))
    }
}

