import Foundation
import PortraitModel

/// Publishers and licences of the open files Portrait knows, found from the
/// name of the file imported (the names of the official downloads and of the
/// compact dataset in `geodata/`).
public enum SourceCatalogue {
    public struct Entry: Sendable {
        public let pattern: String; public let publisher: String; public let licence: String
        /// The publisher in a few words, for the foot of every printed page.
        public var short: String {
            publisher.hasPrefix("Documents publics") ? "démarches régionales (documents publics)"
                : String(publisher.split(separator: ",").first ?? Substring(publisher))
        }
    }

    public static let entries: [Entry] = [
        Entry(pattern: "synthetique", publisher: "Portrait : valeurs SYNTHÉTIQUES", licence: "aucune donnée réelle"),
        Entry(pattern: "demo", publisher: "Portrait : territoire FICTIF", licence: "aucune donnée réelle"),
        // The register's file names hold « municipalites » too: it comes before the SDA's boundaries.
        Entry(pattern: "mamh", publisher: "MAMH, Répertoire des municipalités du Québec", licence: "CC-BY 4.0 (Données Québec)"),
        Entry(pattern: "munic", publisher: "MRNF, Système sur le découpage administratif (SDA)", licence: "CC-BY 4.0 (Données Québec)"),
        Entry(pattern: "mrc", publisher: "MRNF, Système sur le découpage administratif (SDA)", licence: "CC-BY 4.0 (Données Québec)"),
        Entry(pattern: "regio", publisher: "MRNF, Système sur le découpage administratif (SDA)", licence: "CC-BY 4.0 (Données Québec)"),
        Entry(pattern: "gshhg", publisher: "GSHHG 2.3.7 (Wessel et Smith)", licence: "LGPL-3+"),
        Entry(pattern: "recensement", publisher: "Statistique Canada, Recensement de la population 2021", licence: "Licence du gouvernement ouvert – Canada"),
        Entry(pattern: "ecoles", publisher: "Ministère de l'Éducation, Établissements d'enseignement", licence: "CC-BY 4.0 (Données Québec)"),
        Entry(pattern: "odhf", publisher: "Statistique Canada, Base de données ouverte des établissements de santé", licence: "Licence du gouvernement ouvert – Canada"),
        Entry(pattern: "sante", publisher: "Statistique Canada, Base de données ouverte des établissements de santé", licence: "Licence du gouvernement ouvert – Canada"),
        Entry(pattern: "lieux", publisher: "Données Québec, Lieux habités", licence: "CC-BY 4.0"),
        Entry(pattern: "mobilisation", publisher: "Documents publics des démarches régionales (COSMOSS, PARSIS, RQDS…)", licence: "faits compilés, sources citées"),
    ]

    /// The short name of a publisher `lookup` gave.
    public static func short(_ publisher: String) -> String {
        entries.first { $0.publisher == publisher }?.short ?? publisher
    }

    public static let unknownPublisher = "voir le fichier source"

    /// A file as the tables cite it: its publisher and the file, or the file alone when Portrait does not know it.
    public static func cite(_ file: String) -> String {
        let p = lookup(file).publisher
        return p == unknownPublisher ? file : "\(p) (\(file))"
    }

    public static func lookup(_ file: String) -> (publisher: String, licence: String) {
        let f = file.lowercased()
        if let e = entries.first(where: { f.contains($0.pattern) }) { return (e.publisher, e.licence) }
        return (unknownPublisher, "non précisée")
    }
}

extension SourceCatalogue {
    /// True when a stored source is a file's name (`recensement_2021_sdr_bsl.csv`), not a citation a user wrote.
    public static func isFileName(_ s: String) -> Bool {
        let t = s.trimmingCharacters(in: .whitespaces).lowercased()
        return !t.contains(" ") && [".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods", ".geojson", ".json", ".gpkg", ".shp", ".zip", ".gdb", ".pbf"].contains { t.hasSuffix($0) }
    }

    /// A source as a map or a sentence names it: a file by its publisher (the file itself is in the Sources table),
    /// a citation as written.
    public static func credit(_ s: String, _ lang: Language) -> String {
        guard isFileName(s) else { return s }
        let p = lookup(s).publisher
        return p == unknownPublisher ? (lang == .fr ? "fichier importé (voir les sources)" : "imported file (see the sources)") : p
    }
}
