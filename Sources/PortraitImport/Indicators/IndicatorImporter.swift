import Foundation
import PortraitGeometry
import PortraitModel
import PortraitStore

/// Options of `portrait import indicators`.
public struct IndicatorImportOptions: Sendable {
    /// Indicator name for a single value column (`--indicator`).
    public var indicator: String?
    public var vintage: Int
    public var level: Level
    public var preset: IndicatorPreset?
    public var codeField: String?
    public var nameField: String?
    /// `FIELD` or `indicator=FIELD`, repeatable.
    public var valueFields: [String]
    public var kind: IndicatorKind?
    public var unit: String?
    public var source: String?
    public var codeChanges: CodeChanges
    public var matchNames: Bool
    /// Read empty cells as suppressed (Statistics Canada extracts); nil: the preset decides.
    public var emptyIsSuppressed: Bool?
    public var layer: String?
    /// Refuse the file when a row has no code (default: list it in the join report and skip it).
    public var strict: Bool = false
    /// INSPQ index by dissemination area: the quintiles of all Quebec or of the health region (nil: those the file has,
    /// Quebec's first).
    public var scale: DeprivationAreas.Scale?
    /// INSPQ correspondence workbook: the DA → subdivision table (or DA geometries) that places its DAs.
    public var areasFile: String?
    /// How rows meet the territory: by code (default) or by name (tables without codes).
    public var join: JoinKey = .code
    /// Census profile in long form: characteristic id → indicator name.
    public var characteristics: [String: String] = [:]

    public enum JoinKey: String, Sendable, CaseIterable { case code, name }

    /// Every name the options carry, against its rule (`NameRule`), before a file is read: the indicator and the names
    /// before `=` are identifiers; the file's columns, fields; the unit, a label; the source, text.
    public func checkNames() throws {
        if let indicator { try NameRule.checkIdentifier(indicator, option: "indicator") }
        for v in valueFields { try NameRule.checkPair(v, option: "value-field") }
        if let codeField { try NameRule.checkField(codeField, option: "code-field") }
        if let nameField { try NameRule.checkField(nameField, option: "name-field") }
        if let layer { try NameRule.checkField(layer, option: "layer") }
        if let unit { try NameRule.checkLabel(unit, option: "unit") }
        if let source { try NameRule.checkText(source, option: "source") }
        for (id, name) in characteristics {
            try NameRule.checkField(id, option: "characteristic (avant =)")
            try NameRule.checkIdentifier(name, option: "characteristic (après =)")
        }
    }

    public init(indicator: String? = nil, vintage: Int, level: Level = .municipality, preset: IndicatorPreset? = nil,
                codeField: String? = nil, nameField: String? = nil, valueFields: [String] = [], kind: IndicatorKind? = nil,
                unit: String? = nil, source: String? = nil, codeChanges: CodeChanges = .builtIn, matchNames: Bool = false,
                emptyIsSuppressed: Bool? = nil, layer: String? = nil) {
        self.indicator = indicator; self.vintage = vintage; self.level = level; self.preset = preset
        self.codeField = codeField; self.nameField = nameField; self.valueFields = valueFields; self.kind = kind
        self.unit = unit; self.source = source; self.codeChanges = codeChanges; self.matchNames = matchNames
        self.emptyIsSuppressed = emptyIsSuppressed; self.layer = layer
    }
}

/// How the rows of an indicator file met the territory.
public struct JoinReport: Codable, Sendable, Hashable {
    public struct Row: Codable, Sendable, Hashable {
        public var row: Int
        public var code: String
        public var name: String?
    }
    public struct Territory: Codable, Sendable, Hashable {
        public var code: String
        public var name: String
    }
    public struct Merge: Codable, Sendable, Hashable {
        public var newCode: String
        public var oldCodes: [String]
        public var notes: [String]
        enum CodingKeys: String, CodingKey { case newCode = "new_code", oldCodes = "old_codes", notes }
    }
    public struct Duplicate: Codable, Sendable, Hashable {
        public var code: String
        public var rows: [Int]
        /// The rows give different figures: none of them is joined.
        public var valuesDiffer: Bool = false
        public init(code: String, rows: [Int], valuesDiffer: Bool = false) { self.code = code; self.rows = rows; self.valuesDiffer = valuesDiffer }
        enum CodingKeys: String, CodingKey { case code, rows, valuesDiffer = "values_differ" }
    }

    public var rows = 0
    public var matched = 0
    public var matchedByName: [Row] = []
    public var merged: [Merge] = []
    public var unmatched: [Row] = []
    public var withoutValue: [Territory] = []
    public var duplicates: [Duplicate] = []
    /// Rows without a code: listed, skipped.
    public var withoutCode: [Row] = []
    /// Rows whose name matches several units (name joins): never guessed.
    public var ambiguous: [Ambiguous] = []
    public struct Ambiguous: Codable, Sendable, Hashable {
        public var row: Int
        public var name: String
        public var candidates: [String]
        /// Why the row was not joined: « nom partagé », « autre(s) ligne(s) possible(s) pour ce territoire »…
        public var reason: String = ""
        public init(row: Int, name: String, candidates: [String], reason: String = "") {
            self.row = row; self.name = name; self.candidates = candidates; self.reason = reason
        }
    }
    /// How each territory of the store was matched: "code", "ancien_code", "fusion", "nom", "nom+designation",
    /// "nom+mrc" (and other columns: division, region, superficie), "ancien_nom", "ambigu", "fusion_incomplete",
    /// "code_en_double" or "sans_correspondance".
    public var units: [UnitMatch] = []
    public struct UnitMatch: Codable, Sendable, Hashable {
        public var code: String
        public var name: String
        public var how: String
        public var rows: [Int]
    }
    /// Current codes whose former parts are not all in the file (or mixed with the current code): no value.
    public var incompleteMerges: [IncompleteMerge] = []
    public struct IncompleteMerge: Codable, Sendable, Hashable {
        public var newCode: String
        public var present: [String]
        public var missing: [String]
        public var rows: [Int]
        enum CodingKeys: String, CodingKey { case newCode = "new_code", present, missing, rows }
    }
    /// Rows of a part of a territory (« (partie) »): not joined.
    public var partial: [Row] = []
    /// How a delimited text file was read (encoding, separator, header line, line ends); nil for workbooks.
    public var layout: TextLayout?
    /// Rows that gave a value to a territory (after duplicates, rows without code and unmatched rows are set apart).
    public var kept = 0
    /// Rows combined with others into one territory: merged former codes, dissemination areas summed by municipality.
    public var aggregated = 0
    /// Dissemination areas (INSPQ index by DA): how they were read and placed.
    public var areas: AreaSummary?
    public struct AreaSummary: Codable, Sendable, Hashable {
        public var layout: String
        public var scale: String
        /// DAs read (a DA split over several rows counts once).
        public var areas: Int
        /// DAs split between territories, over several rows with their fractions.
        public var split: Int
        /// Split DAs whose fractions do not add up to 1: "AD (sum)".
        public var badFractions: [String]
        /// DAs the correspondence (`--areas`) places in no municipality: not counted.
        public var unplaced: [Row]
        /// DAs without a material quintile, and their population (reported apart).
        public var withoutQuintile: Int
        public var populationWithoutQuintile: Double
        enum CodingKeys: String, CodingKey {
            case layout, scale, areas, split, badFractions = "bad_fractions", unplaced, withoutQuintile = "without_quintile",
                 populationWithoutQuintile = "population_without_quintile"
        }
    }
    /// Indicator → number of territories whose value is suppressed.
    public var suppressed: [String: Int] = [:]
    /// Indicator → number of territories with an empty cell.
    public var missing: [String: Int] = [:]

    enum CodingKeys: String, CodingKey {
        case rows, matched, matchedByName = "matched_by_name", merged, unmatched, withoutValue = "without_value",
             duplicates, withoutCode = "without_code", ambiguous, kept, aggregated, areas, suppressed, missing, units,
             incompleteMerges = "incomplete_merges", partial, layout
    }

    /// Territories by how they were matched: "nom" → 98…
    public var methods: [String: Int] { Dictionary(grouping: units, by: \.how).mapValues(\.count) }
}

public struct IndicatorImportReport: Codable, Sendable {
    public var log: ImportLogEntry
    public var indicators: [String]
    /// The latest vintage written (the one `join` describes).
    public var vintage: Int
    public var join: JoinReport
    /// Every vintage written (several for an ISQ file with a column or a sheet per year).
    public var vintages: [Int] = []
}

/// Reads an indicator table (CSV or XLSX, through GDAL), cleans its numbers,
/// carries old codes onto current ones, joins it to the territory and stores
/// the values in long form, all in one transaction. Three steps: read the
/// table (`IndicatorTable.read`), join it (`IndicatorJoin.run`, pure), write it.
public enum IndicatorImporter {
    public static func run(file: String, options o: IndicatorImportOptions, storePath: String) throws -> IndicatorImportReport {
        try o.checkNames()
        if o.preset == .statcanProfile {
            guard o.level == .municipality else {
                throw ImportError(.presetLevelUnsupported, file: file, "le profil en format long se joint aux municipalités (subdivisions de recensement)")
            }
            let table = try CensusProfile.read(file: file, characteristics: o.characteristics)
            return try join(table, file: file, options: o, storePath: storePath)
        }
        if let vintages = try vitalityVintages(file: file, options: o) {
            return try join(vintages, file: file, options: o, storePath: storePath)
        }
        if o.vintage == 0 {
            throw ImportError(.unknownField, file: file, "précisez --vintage ANNÉE : le fichier n'a pas de colonne ou de feuille par année")
        }
        // Delimited text is cleaned as it is read (bounded memory); the INSPQ's areas and workbooks are read whole.
        if DelimitedText.handles(file), o.preset != .inspqDeprivation {
            return try join(try IndicatorTable.stream(file: file, options: o), file: file, options: o, storePath: storePath)
        }
        let layer = try IndicatorTable.layer(file: file, options: o)
        if o.preset == .inspqDeprivation, DeprivationAreas.looksLikeAreas(layer.fields) {
            guard let columns = DeprivationAreas.detect(layer.fields, scale: o.scale) else {
                throw ImportError(.unknownField, file: file, "indice par aire de diffusion : pas de colonnes de quintiles \(o.scale == .rss ? "régionaux (QuintMatRSS, QuintSocRSS)" : "du Québec (QuintMat, QuintSoc)") ; colonnes présentes : \(layer.fields.joined(separator: ", "))")
            }
            return try runAreas(layer, columns: columns, file: file, options: o, storePath: storePath)
        }
        return try join(try IndicatorTable.read(layer: layer, file: file, options: o), file: file, options: o, storePath: storePath)
    }

    /// A table, joined to the store's units and written.
    static func join(_ read: IndicatorTable, file: String, options o: IndicatorImportOptions, storePath: String) throws -> IndicatorImportReport {
        try join([(o.vintage, read)], file: file, options: o, storePath: storePath)
    }

    /// Tables of one or more vintages (an ISQ file with a column or a sheet per year), joined and written in one transaction.
    static func join(_ tables: [(vintage: Int, table: IndicatorTable)], file: String, options o: IndicatorImportOptions,
                     storePath: String) throws -> IndicatorImportReport {
        let store = try Stores.open(storePath, writable: true)
        let units = try store.units(o.level, withGeometry: false).filter { !$0.isAquatic }
        guard !units.isEmpty else {
            throw ImportError(.noBoundaries, file: storePath, "aucune limite de niveau \(o.level.rawValue) : importez d'abord les limites")
        }
        let mrcNames = o.level == .municipality
            ? Dictionary(try store.units(.mrc, withGeometry: false).map { ($0.code, $0.name) }) { a, _ in a } : [:]
        var prepared: [Prepared] = []
        for (vintage, read) in tables {
            var table = read
            var definitions = Dictionary(uniqueKeysWithValues: table.columns.map {
                ($0.indicator, withUnit(IndicatorDefinition.named($0.indicator, kind: table.columns.count == 1 ? o.kind : nil), o.unit))
            })
            let population = try store.indicatorValues("population", vintage: vintage, level: o.level).compactMapValues(\.number)
            var named = NameJoin.Result()
            if o.join == .name {
                named = NameJoin.resolve(table.rows, units: units, mrcNames: mrcNames, codeChanges: o.codeChanges)
                table.rows = named.rows
            }
            var joined = IndicatorJoin.run(table, units: units, definitions: definitions, level: o.level, codeChanges: o.codeChanges,
                                           matchNames: o.matchNames, storedPopulation: population, how: named.how,
                                           ambiguousUnits: named.ambiguousUnits, mrcNames: mrcNames)
            joined.report.ambiguous = (named.ambiguous + joined.report.ambiguous).sorted { $0.row < $1.row }
            joined.report.unmatched = (named.unmatched + joined.report.unmatched).sorted { $0.row < $1.row }
            joined.report.partial = named.partial
            DerivedIndicator.apply(DerivedIndicator.allCases, table: &table, joined: &joined)
            for c in table.columns where definitions[c.indicator] == nil { definitions[c.indicator] = IndicatorDefinition.named(c.indicator) }
            prepared.append(Prepared(vintage: vintage, joined: joined, table: table, definitions: definitions))
        }
        let log = try write(prepared, file: file, options: o, store: store)
        let latest = prepared.max { $0.vintage < $1.vintage }!
        var names: [String] = []
        for p in prepared { for c in p.table.columns where !names.contains(c.indicator) { names.append(c.indicator) } }
        return IndicatorImportReport(log: log, indicators: names, vintage: latest.vintage,
                                     join: latest.joined.report, vintages: prepared.map(\.vintage).sorted())
    }

    /// One vintage of a table, joined, ready to write.
    struct Prepared {
        var vintage: Int
        var joined: IndicatorJoin.Result
        var table: IndicatorTable
        var definitions: [String: IndicatorDefinition]
    }

    /// An ISQ file with several vintages, as columns of one sheet or one sheet per year; nil when it has one.
    static func vitalityVintages(file: String, options o: IndicatorImportOptions) throws -> [(vintage: Int, table: IndicatorTable)]? {
        guard o.preset == .isqIVE, o.valueFields.isEmpty else { return nil }
        func wanted(_ years: [Int]) throws -> [Int] {
            guard o.vintage != 0 else { return years }
            guard years.contains(o.vintage) else {
                throw ImportError(.unknownField, file: file, "millésime \(o.vintage) absent du fichier ; millésimes présents : \(years.map(String.init).joined(separator: ", "))")
            }
            return [o.vintage]
        }
        // One sheet per vintage.
        let sheets = (try? VectorSource.layerNames(path: file, drivers: .indicators)) ?? []
        let yearly = o.layer == nil ? sheets.compactMap { n in VintageColumns.year(in: n).map { ($0, n) } } : []
        if yearly.count > 1 {
            return try wanted(yearly.map(\.0)).map { y in
                var one = o
                one.layer = yearly.first { $0.0 == y }!.1
                one.vintage = y
                let layer = try IndicatorTable.layer(file: file, options: one)
                if let q = VintageColumns.quintile(in: layer.fields), let index = Header.find(IndicatorPreset.isqIVE.valueFields[0].headers, in: layer.fields.filter { $0 != q }) {
                    one.valueFields = ["ive=\(index)", "ive_quintile=\(q)"]
                }
                return (y, try IndicatorTable.read(layer: layer, file: file, options: one))
            }
        }
        // Year columns in one sheet.
        let layer = try IndicatorTable.layer(file: file, options: o)
        let years = VintageColumns.detect(layer.fields)
        guard !years.isEmpty else { return nil }
        return try wanted(years.map(\.year)).map { y in
            let c = years.first { $0.year == y }!
            var one = o
            one.vintage = y
            one.valueFields = ["ive=\(c.index)"] + (c.quintile.map { ["ive_quintile=\($0)"] } ?? [])
            return (y, try IndicatorTable.read(layer: layer, file: file, options: one))
        }
    }

    /// The INSPQ index by dissemination area, in either layout: DAs placed in their municipality (subdivision id,
    /// or the `--areas` correspondence for the workbook; old codes carried over), split DAs counted by their
    /// fractions, population shares by quintile aggregated, the indicators written in one transaction.
    static func runAreas(_ layer: SourceLayer, columns: DeprivationAreas.Columns, file: String, options o: IndicatorImportOptions,
                         storePath: String) throws -> IndicatorImportReport {
        guard o.level == .municipality else {
            throw ImportError(.presetLevelUnsupported, file: file, "l'indice par aire de diffusion s'agrège aux municipalités (--level municipality)")
        }
        let store = try Stores.open(storePath, writable: true)
        var places: [String: String]?
        if columns.layout == .workbook {
            guard let areasFile = o.areasFile else {
                throw ImportError(.unknownField, file: file, "le fichier de correspondance de l'INSPQ n'a pas de colonne de municipalité : "
                                  + "donnez la table des aires de diffusion avec --areas FICHIER (ADIDU et SDRIDU, comme Ad_2021_IndDef.shp, "
                                  + "ou les géométries des aires)")
            }
            places = try AreaPlaces.read(file: areasFile) { try store.units(.municipality, withGeometry: true).filter { !$0.isAquatic } }
        }
        let reading = try DeprivationAreas.read(layer, columns: columns, places: places, codeChanges: o.codeChanges, file: file)
        let areas = reading.areas
        let units = try store.units(.municipality, withGeometry: false).filter { !$0.isAquatic }
        guard !units.isEmpty else { throw ImportError(.noBoundaries, file: storePath, "aucune limite municipale : importez d'abord les limites") }
        guard !areas.isEmpty else {
            throw ImportError(.missingValue, file: file, "aucune aire de diffusion placée dans une municipalité (\(reading.unplaced.count) absente(s) de --areas)")
        }
        let known = Dictionary(uniqueKeysWithValues: units.map { ($0.code, $0) })
        let shares = DeprivationAreas.aggregate(areas).filter { known[$0.key] != nil }
        var join = JoinReport()
        join.rows = layer.features.count
        join.matched = shares.count
        let inside = areas.filter { known[$0.municipality] != nil }
        join.kept = inside.count
        join.aggregated = inside.count
        let outside = Dictionary(grouping: areas.filter { known[$0.municipality] == nil }, by: \.municipality)
        join.unmatched = outside.keys.sorted().map { .init(row: 0, code: $0, name: "\(outside[$0]!.count) aire(s) de diffusion") }
        join.duplicates = reading.duplicates.keys.sorted().map { .init(code: "AD \($0)", rows: reading.duplicates[$0]!) }
        join.withoutValue = units.filter { shares[$0.code] == nil }.map { .init(code: $0.code, name: $0.name) }
        let withoutQ = inside.filter { $0.material == nil }
        join.areas = .init(layout: columns.layout.rawValue, scale: columns.scale.labelFR, areas: Set(areas.map(\.id)).count, split: reading.split.count,
                           badFractions: reading.badFractions.keys.sorted().map { "\($0) (\(NumberFormat.shortest(reading.badFractions[$0]!)))" },
                           unplaced: reading.unplaced.map { .init(row: $0.row, code: "AD \($0.id)", name: nil) },
                           withoutQuintile: Set(withoutQ.map(\.id)).count, populationWithoutQuintile: withoutQ.map(\.population).reduce(0, +))
        let indicators = DeprivationAreas.indicators(shares, scale: columns.scale)
        for (d, values) in indicators { join.missing[d.name] = values.values.filter { $0 == .missing }.count }
        var warnings: [String] = []
        if !join.unmatched.isEmpty { warnings.append("\(join.unmatched.count) municipalité(s) du fichier absente(s) du magasin") }
        if !reading.unplaced.isEmpty { warnings.append("\(reading.unplaced.count) aire(s) de diffusion sans municipalité dans --areas, ignorée(s)") }
        if !reading.badFractions.isEmpty { warnings.append("\(reading.badFractions.count) aire(s) partagée(s) dont les fractions ne font pas 1") }
        if !reading.duplicates.isEmpty { warnings.append("\(reading.duplicates.count) aire(s) de diffusion en double sans fraction (première ligne gardée)") }
        if !withoutQ.isEmpty { warnings.append("\(join.areas!.withoutQuintile) aire(s) de diffusion sans quintile matériel (population comptée à part)") }
        let source = o.source ?? (file as NSString).lastPathComponent
        var entry = ImportLogEntry(kind: "indicators", level: o.level.rawValue, sourceFile: ImportWriter.sourceFile(file), sha256: try FileDigest.sha256(file),
                                   featuresRead: layer.features.count, units: shares.count, warnings: warnings,
                                   parameters: ["indicators": indicators.map(\.definition.name).joined(separator: ","),
                                                "vintage": String(o.vintage), "preset": "inspq-deprivation", "layout": columns.layout.rawValue,
                                                "scale": columns.scale.rawValue, "areas": o.areasFile ?? ""])
        try store.transaction {
            let id = try store.logImport(entry)
            entry.id = id
            for (d, values) in indicators {
                let rows = values.keys.sorted().map { (code: $0, value: values[$0]!) }
                entry.replaced += try store.replaceIndicatorValues(d, vintage: o.vintage, level: .municipality, values: rows, source: source, importID: id)
                entry.inserted += rows.count
            }
            try store.updateImport(id, entry)
            try store.saveJoinReport(importID: id, json: String(decoding: try JSONEncoder.stable.encode(join), as: UTF8.self))
        }
        return IndicatorImportReport(log: entry, indicators: indicators.map(\.definition.name), vintage: o.vintage, join: join)
    }

    /// Definitions, values (replacing the same indicator, vintage and level), log and join report, in one transaction.
    static func write(_ prepared: [Prepared], file: String, options o: IndicatorImportOptions, store: any TerritoryStore) throws -> ImportLogEntry {
        let latest = prepared.max { $0.vintage < $1.vintage }!
        let join = latest.joined.report
        var warnings: [String] = []
        if !join.unmatched.isEmpty { warnings.append("\(join.unmatched.count) ligne(s) sans territoire correspondant") }
        if !join.withoutValue.isEmpty { warnings.append("\(join.withoutValue.count) territoire(s) sans valeur") }
        if join.duplicates.contains(where: { !$0.valuesDiffer }) {
            warnings.append("\(join.duplicates.filter { !$0.valuesDiffer }.count) code(s) en double aux mêmes valeurs (gardé une fois)")
        }
        if !join.withoutCode.isEmpty { warnings.append("\(join.withoutCode.count) ligne(s) sans code, ignorée(s)") }
        if !join.ambiguous.isEmpty { warnings.append("\(join.ambiguous.count) ligne(s) ambiguë(s), non jointe(s)") }
        if !join.incompleteMerges.isEmpty {
            warnings.append("\(join.incompleteMerges.count) fusion(s) incomplète(s) (anciens codes manquants), sans valeur : "
                            + join.incompleteMerges.map(\.newCode).joined(separator: ", "))
        }
        if join.duplicates.contains(where: \.valuesDiffer) {
            warnings.append("\(join.duplicates.filter(\.valuesDiffer).count) code(s) en double avec des valeurs différentes, non joint(s)")
        }
        if !join.partial.isEmpty { warnings.append("\(join.partial.count) ligne(s) « (partie) » d'un territoire, non jointe(s)") }
        if let l = join.layout, let line = l.unterminatedRow {
            warnings.append("dernière ligne (ligne \(line)) sans fin de ligne : si le fichier a été coupé, des lignes manquent")
        }
        let source = o.source ?? (file as NSString).lastPathComponent
        var names: [String] = []
        for p in prepared { for c in p.table.columns where !names.contains(c.indicator) { names.append(c.indicator) } }
        var entry = ImportLogEntry(kind: "indicators", level: o.level.rawValue, sourceFile: ImportWriter.sourceFile(file), sha256: try FileDigest.sha256(file),
                                   featuresRead: join.rows, units: join.matched, warnings: warnings,
                                   parameters: ["indicators": names.joined(separator: ","),
                                                "vintage": prepared.map { String($0.vintage) }.sorted().joined(separator: ","),
                                                "preset": o.preset?.rawValue ?? "", "code_field": latest.table.codeField,
                                                "layout": join.layout?.summaryFR ?? ""])
        try store.transaction {
            let id = try store.logImport(entry)
            entry.id = id
            for p in prepared {
                for (name, _) in p.table.columns {
                    let values = p.joined.values.map { (code: $0.code, value: $0.values[name] ?? CellValue.missing) }
                    entry.replaced += try store.replaceIndicatorValues(p.definitions[name]!, vintage: p.vintage, level: o.level, values: values,
                                                                       source: source, importID: id)
                    entry.inserted += values.count
                }
            }
            try store.updateImport(id, entry)
            try store.saveJoinReport(importID: id, json: String(decoding: try JSONEncoder.stable.encode(join), as: UTF8.self))
        }
        return entry
    }

    /// Municipal codes: 5 digits, or a CSDUID (24xxxxx), or a DGUID ending in one. MRC and region codes as usual.
    static func normaliseIndicatorCode(_ raw: String, level: Level) throws -> String {
        var t = raw
        if t.count == 16, t.hasPrefix("20"), let r = t.range(of: "A0005") { t = String(t[r.upperBound...]) }  // DGUID
        if level == .municipality, t.count == 7, t.hasPrefix("24") { return try Codes.fromCSDUID(t) }
        return try Codes.normalise(t, level: level)
    }

    /// "Sainte-Marguerite-Marie, Municipalité (MÉ)" → "sainte_marguerite_marie".
    static func nameKey(_ name: String) -> String { Names.municipalKey(name) }

    static func withUnit(_ d: IndicatorDefinition, _ unit: String?) -> IndicatorDefinition {
        var d = d
        if let unit { d.unit = unit }
        return d
    }
}
