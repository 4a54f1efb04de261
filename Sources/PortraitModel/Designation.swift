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

    /// Statistics Canada CSD types mapped to SDA designations where they match.
    public static let fromStatCanCSDType: [String: String] = [
        "MÉ": "M", "V": "V", "VL": "VL", "CT": "CT", "CU": "CU", "PE": "P", "NO": "NO",
        "IRI": "R", "R": "R", "S-É": "É", "TC": "TC", "TK": "TK", "VC": "VC", "VK": "VK", "VN": "VN", "TI": "TI",
    ]
}
