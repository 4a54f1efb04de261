import Foundation

/// Designations of the SDA (`MUS_CO_DES`) and how they count.
public enum Designation {
    /// TNO aquatique: water, kept but never counted as a municipality.
    public static let aquatic = "G"
    /// Territoire non organisé.
    public static let unorganised = "NO"
    /// Réserve (indienne) and Terre réservée.
    public static let reserves: Set<String> = ["R", "TR"]
    /// Cree and Naskapi villages and other Indigenous lands, not municipalities in the MAMH sense.
    public static let indigenousLands: Set<String> = ["TC", "TK", "VC", "VK", "VN"]

    /// True for the units counted as municipalities (M, P, V, VL, CT, É, CU, MÉ…).
    public static func isMunicipality(_ d: String?) -> Bool {
        guard let d, !d.isEmpty else { return true }
        return d != aquatic && d != unorganised && !reserves.contains(d) && !indigenousLands.contains(d)
    }

    /// French names of the usual designations.
    public static let namesFR: [String: String] = [
        "M": "municipalité", "P": "paroisse", "V": "ville", "VL": "village", "CT": "canton",
        "CU": "cantons unis", "NO": "territoire non organisé", "R": "réserve", "TR": "terre réservée",
        "G": "TNO aquatique", "É": "établissement amérindien", "MÉ": "municipalité",
        "TC": "terres réservées cries", "TK": "terre réservée naskapie", "VC": "village cri",
        "VK": "village nordique", "VN": "village naskapi",
    ]

    /// English names of the usual designations.
    public static let namesEN: [String: String] = [
        "M": "municipality", "P": "parish", "V": "town", "VL": "village", "CT": "township",
        "CU": "united townships", "NO": "unorganised territory", "R": "reserve", "TR": "reserved land",
        "G": "aquatic unorganised territory", "É": "Indian settlement", "MÉ": "municipality",
        "TC": "Cree reserved land", "TK": "Naskapi reserved land", "VC": "Cree village",
        "VK": "northern village", "VN": "Naskapi village",
    ]

    /// A designation in words, in the document's language (« paroisse », never « désignation P »); an unknown code as
    /// « désignation CODE », since it cannot be named.
    public static func name(_ code: String, _ lang: Language) -> String {
        if let n = (lang == .fr ? namesFR : namesEN)[code] { return n }
        return lang == .fr ? "désignation « \(code) »" : "designation “\(code)”"
    }

    /// Statistics Canada CSD types mapped to SDA designations where they match.
    public static let fromStatCanCSDType: [String: String] = [
        "MÉ": "M", "V": "V", "VL": "VL", "CT": "CT", "CU": "CU", "PE": "P", "NO": "NO",
        "IRI": "R", "R": "R", "S-É": "É", "TC": "TC", "TK": "TK", "VC": "VC", "VK": "VK", "VN": "VN", "TI": "TI",
    ]

    /// Phrases (name keys) and abbreviations of designations, as Statistics Canada, the MAMH and the SDA write
    /// them, → the SDA's designation. Longer phrases first: a phrase matches a cell that starts with it.
    static let phrases: [(String, String)] = [
        ("paroisse_municipalite_de", "P"), ("terres_reservees_cries", "TC"), ("terre_reservee_naskapie", "TK"),
        ("terre_de_la_categorie_ia_n", "TK"), ("terre_de_la_categorie_ia", "TC"), ("terre_de_la_categorie_i", "TC"),
        ("territoire_non_organise", "NO"), ("etablissement_amerindien", "É"), ("village_nordique", "VK"), ("village_naskapi", "VN"),
        ("village_cri", "VC"), ("reserve_indienne", "R"), ("indian_reserve", "R"), ("terre_reservee", "TR"), ("cantons_unis", "CU"),
        ("tno_aquatique", "G"), ("terre_inuite", "TI"), ("municipalite", "M"), ("paroisse", "P"), ("village", "VL"), ("canton", "CT"),
        ("ville", "V"), ("reserve", "R"),
    ]
    /// Abbreviations, matched exactly (Statistics Canada's CSD types first: MÉ, PE, IRI…).
    static let abbreviations: [String: String] = [
        "me": "M", "m": "M", "pe": "P", "p": "P", "v": "V", "vl": "VL", "ct": "CT", "cu": "CU", "no": "NO", "tno": "NO",
        "iri": "R", "r": "R", "tr": "TR", "s_e": "É", "e": "É", "tc": "TC", "tk": "TK", "vc": "VC", "vk": "VK", "vn": "VN",
        "ti": "TI", "g": "G",
    ]

    /// The SDA designation a cell names ("MÉ", "PE", "Paroisse (municipalité de)", "Village cri (Terre de la catégorie"…),
    /// or nil when it names none.
    public static func parse(_ text: String) -> String? {
        var t = text.trimmingCharacters(in: .whitespaces)
        // "Municipalité (MÉ)": the abbreviation in parentheses decides.
        if t.hasSuffix(")"), let open = t.lastIndex(of: "(") {
            let inner = String(t[t.index(after: open)..<t.index(before: t.endIndex)])
            if let d = abbreviations[Names.key(inner)] { return d }
            if Names.key(inner) != "municipalite_de" { t = String(t[..<open]) }
        }
        let k = Names.key(t)
        if let d = abbreviations[k] { return d }
        if k.isEmpty { return nil }
        // A phrase of several words may be cut or followed by more ("Village cri (Terre de la catégorie"); one word must be all.
        return phrases.first { k == $0.0 || ($0.0.contains("_") && k.hasPrefix($0.0 + "_")) }?.1
    }
}
