import Foundation
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
    }

    public var rows = 0
    public var matched = 0
    public var matchedByName: [Row] = []
    public var merged: [Merge] = []
    public var unmatched: [Row] = []
    public var withoutValue: [Territory] = []
    public var duplicates: [Duplicate] = []
    /// Indicator → number of territories whose value is suppressed.
    public var suppressed: [String: Int] = [:]
    /// Indicator → number of territories with an empty cell.
    public var missing: [String: Int] = [:]

    enum CodingKeys: String, CodingKey {
        case rows, matched, matchedByName = "matched_by_name", merged, unmatched, withoutValue = "without_value",
             duplicates, suppressed, missing
    }
}

public struct IndicatorImportReport: Codable, Sendable {
    public var log: ImportLogEntry
    public var indicators: [String]
    public var vintage: Int
    public var join: JoinReport
}

/// Reads an indicator table (CSV or XLSX, through GDAL), cleans its numbers,
/// carries old codes onto current ones, joins it to the territory and stores
/// the values in long form, all in one transaction.
public enum IndicatorImporter {
    struct Row {
        var row: Int
        var code: String
        var name: String?
        var values: [String: CellValue]
    }

    public static func run(file: String, options o: IndicatorImportOptions, storePath: String) throws -> IndicatorImportReport {
        guard TerritoryStore.exists(at: storePath) else {
            throw ImportError(.noBoundaries, file: storePath, "magasin absent : importez d'abord les limites (portrait import boundaries)")
        }
        let layer: SourceLayer
        do {
            // Every cell as text (numbers are cleaned here); spreadsheets always have a header row.
            layer = try VectorSource.read(path: file, layer: o.layer, openOptions: ["AUTODETECT_TYPE=NO", "FIELD_TYPES=STRING"],
                                          configOptions: ["OGR_XLSX_HEADERS": "FORCE", "OGR_ODS_HEADERS": "FORCE",
                                                          "OGR_XLSX_FIELD_TYPES": "STRING", "OGR_ODS_FIELD_TYPES": "STRING"])
        } catch let e as SourceError {
            switch e {
            case .fileNotFound: throw ImportError(.fileNotFound, file: file, "fichier introuvable")
            default: throw ImportError(.notAGeoFile, file: file, "tableau illisible par GDAL (CSV ou XLSX attendu) : \(e)")
            }
        }
        guard !layer.features.isEmpty else {
            throw ImportError(.emptyLayer, file: file, "aucune ligne de données")
        }
        let list = layer.fields.joined(separator: ", ")
        func field(_ explicit: String?, _ candidates: [String], role: String, required: Bool) throws -> String? {
            if let explicit {
                guard layer.fields.contains(explicit) else {
                    throw ImportError(.unknownField, file: file, "colonne « \(explicit) » (\(role)) introuvable ; colonnes présentes : \(list)")
                }
                return explicit
            }
            if let f = Header.find(candidates, in: layer.fields) { return f }
            if required {
                throw ImportError(.unknownField, file: file,
                                  "aucune colonne de \(role) (attendu : \(candidates.prefix(3).joined(separator: ", "))…, ou --\(role == "code" ? "code" : "value")-field) ; colonnes présentes : \(list)")
            }
            return nil
        }
        let codeField = try field(o.codeField, o.preset?.codeFields ?? ["code_geo", "Code géographique", "code", "CSDUID", "MUS_CO_GEO"],
                                  role: "code", required: true)!
        let nameField = try field(o.nameField, o.preset?.nameFields ?? ["nom", "name", "Municipalité", "Localité"], role: "nom", required: false)

        // Value columns: explicit (`name=FIELD` or `FIELD`), else the preset's.
        var columns: [(indicator: String, field: String)] = []
        if !o.valueFields.isEmpty {
            for spec in o.valueFields {
                let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
                let (name, f) = parts.count == 2 ? (parts[0], parts[1])
                    : ((o.valueFields.count == 1 ? o.indicator : nil) ?? Header.key(spec), spec)
                guard layer.fields.contains(f) else {
                    throw ImportError(.unknownField, file: file, "colonne de valeurs « \(f) » introuvable ; colonnes présentes : \(list)")
                }
                columns.append((name, f))
            }
        } else if let preset = o.preset {
            for (name, headers) in preset.valueFields {
                if let f = Header.find(headers, in: layer.fields) { columns.append((name, f)) }
            }
            guard !columns.isEmpty else {
                throw ImportError(.unknownField, file: file, "aucune colonne de valeurs du préréglage \(preset.rawValue) ; colonnes présentes : \(list)")
            }
            if let only = o.indicator { columns = columns.filter { $0.indicator == only } }
        } else {
            throw ImportError(.unknownField, file: file, "précisez --value-field (ou un --preset) ; colonnes présentes : \(list)")
        }
        let emptySuppressed = o.emptyIsSuppressed ?? (o.preset?.emptyIsSuppressed ?? false)

        // Rows: codes normalised, numbers cleaned; a bad cell names its row and column.
        var rows: [Row] = []
        var seen: [String: Int] = [:]
        var join = JoinReport()
        var duplicateRows: [String: [Int]] = [:]
        for f in layer.features {
            let rowNumber = f.index + 2   // line 1 is the header
            let loc = "ligne \(rowNumber)"
            guard let raw = f.attributes[codeField]?.text?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
                throw ImportError(.missingValue, file: file, location: loc, "colonne \(codeField) : code absent")
            }
            let code: String
            do { code = try normaliseIndicatorCode(raw, level: o.level) } catch {
                throw ImportError(.nonNumericCode, file: file, location: loc, "colonne \(codeField) : code « \(raw) » non numérique ou trop long")
            }
            var values: [String: CellValue] = [:]
            for (name, col) in columns {
                let text = f.attributes[col]?.text
                guard let v = CellValue.parse(text, emptyIsSuppressed: emptySuppressed) else {
                    throw ImportError(.missingValue, file: file, location: "\(loc) (code \(code))",
                                      "colonne \(col) : « \(text ?? "") » n'est pas un nombre (ni x, .., F pour une valeur confidentielle)")
                }
                values[name] = v
            }
            join.rows += 1
            if let first = seen[code] {
                duplicateRows[code, default: [first]].append(rowNumber)
                continue
            }
            seen[code] = rowNumber
            rows.append(Row(row: rowNumber, code: code, name: nameField.flatMap { f.attributes[$0]?.text }, values: values))
        }
        join.duplicates = duplicateRows.keys.sorted().map { JoinReport.Duplicate(code: $0, rows: duplicateRows[$0]!) }

        let store = try TerritoryStore(openExisting: storePath, writable: true)
        try store.transaction { try store.ensureSchema() }
        let units = try store.units(o.level, withGeometry: false).filter { !$0.isAquatic }
        guard !units.isEmpty else {
            throw ImportError(.noBoundaries, file: storePath, "aucune limite de niveau \(o.level.rawValue) : importez d'abord les limites")
        }
        let byCode = Dictionary(uniqueKeysWithValues: units.map { ($0.code, $0) })
        var byName: [String: [TerritorialUnit]] = [:]
        for u in units { byName[nameKey(u.name), default: []].append(u) }

        // Carry old codes onto current ones, then match codes (and names when asked).
        let definitions = Dictionary(uniqueKeysWithValues: columns.map {
            ($0.indicator, withUnit(IndicatorDefinition.named($0.indicator, kind: columns.count == 1 ? o.kind : nil), o.unit))
        })
        var groups: [String: [Row]] = [:]
        var order: [String] = []
        for r in rows {
            var target = o.level == .municipality ? o.codeChanges.current(r.code) : r.code
            if byCode[target] == nil, o.matchNames, let n = r.name, let hits = byName[nameKey(n)], hits.count == 1 {
                target = hits[0].code
                join.matchedByName.append(.init(row: r.row, code: r.code, name: r.name))
            }
            guard byCode[target] != nil else {
                join.unmatched.append(.init(row: r.row, code: r.code, name: r.name))
                continue
            }
            if groups[target] == nil { order.append(target) }
            groups[target, default: []].append(r)
        }
        let storedPopulation = try populationWeights(store: store, level: o.level, vintage: o.vintage)
        var final: [(code: String, values: [String: CellValue])] = []
        for code in order {
            let parts = groups[code]!
            join.matched += 1
            if parts.count == 1 { final.append((code, parts[0].values)); continue }
            var merge = JoinReport.Merge(newCode: code, oldCodes: parts.map(\.code).sorted(), notes: [])
            var combined: [String: CellValue] = [:]
            for (name, _) in columns {
                let d = definitions[name]!
                let weights = parts.map { $0.values["population"]?.number ?? storedPopulation[$0.code] }
                let (v, note) = combine(parts.map { $0.values[name] ?? .missing }, weights: weights, kind: d.kind)
                combined[name] = v
                if let note { merge.notes.append("\(name) : \(note)") }
            }
            join.merged.append(merge)
            final.append((code, combined))
        }
        let matchedCodes = Set(final.map(\.code))
        join.withoutValue = units.filter { !matchedCodes.contains($0.code) }.map { .init(code: $0.code, name: $0.name) }
        for (name, _) in columns {
            join.suppressed[name] = final.filter { $0.values[name] == .suppressed }.count
            join.missing[name] = final.filter { $0.values[name] == .missing }.count
        }

        // Write: definitions, values (replacing the same indicator, vintage and level), log and report.
        var warnings: [String] = []
        if !join.unmatched.isEmpty { warnings.append("\(join.unmatched.count) ligne(s) sans territoire correspondant") }
        if !join.withoutValue.isEmpty { warnings.append("\(join.withoutValue.count) territoire(s) sans valeur") }
        if !join.duplicates.isEmpty { warnings.append("\(join.duplicates.count) code(s) en double (première ligne gardée)") }
        let source = o.source ?? (file as NSString).lastPathComponent
        var entry = ImportLogEntry(kind: "indicators", level: o.level.rawValue, sourceFile: file, sha256: try SHA256.hex(fileAt: file),
                                   featuresRead: join.rows, units: join.matched, warnings: warnings,
                                   parameters: ["indicators": columns.map(\.indicator).joined(separator: ","),
                                                "vintage": String(o.vintage), "preset": o.preset?.rawValue ?? "",
                                                "code_field": codeField])
        try store.transaction {
            let id = try store.logImport(entry)
            entry.id = id
            for (name, _) in columns {
                let d = definitions[name]!
                try store.db.run("DELETE FROM indicator_values WHERE indicator = ? AND vintage = ? AND level = ?",
                                 [.text(name), .int(Int64(o.vintage)), .text(o.level.rawValue)])
                entry.replaced += store.db.changes
                try store.saveDefinition(d)
                let st = try store.db.prepare("""
                    INSERT INTO indicator_values (territory_code, level, indicator, vintage, value, status, unit, source, import_id)
                    VALUES (?,?,?,?,?,?,?,?,?)
                    """)
                for (code, values) in final {
                    let v = values[name] ?? .missing
                    let status = switch v { case .value: "ok"; case .suppressed: "suppressed"; case .missing: "missing" }
                    try st.run([.text(code), .text(o.level.rawValue), .text(name), .int(Int64(o.vintage)), .optional(v.number),
                                .text(status), .text(d.unit), .text(source), .int(id)])
                    entry.inserted += 1
                }
            }
            try store.updateImport(id, entry)
            try store.db.run("INSERT INTO join_reports (import_id, report) VALUES (?, ?)",
                             [.int(id), .text(String(decoding: try JSONEncoder.sorted.encode(join), as: UTF8.self))])
        }
        return IndicatorImportReport(log: entry, indicators: columns.map(\.indicator), vintage: o.vintage, join: join)
    }

    /// Municipal codes: 5 digits, or a CSDUID (24xxxxx), or a DGUID ending in one. MRC and region codes as usual.
    static func normaliseIndicatorCode(_ raw: String, level: Level) throws -> String {
        var t = raw
        if t.count == 16, t.hasPrefix("20"), let r = t.range(of: "A0005") { t = String(t[r.upperBound...]) }  // DGUID
        if level == .municipality, t.count == 7, t.hasPrefix("24") { return try Codes.fromCSDUID(t) }
        return try Codes.normalise(t, level: level)
    }

    /// "Sainte-Marguerite-Marie, Municipalité (MÉ)" → "sainte_marguerite_marie".
    static func nameKey(_ name: String) -> String {
        Header.key(String(name.split(separator: ",", maxSplits: 1).first ?? Substring(name)))
    }

    /// Values of merged old codes on one current code: counts summed (suppressed if any part is),
    /// the others population-weighted over the parts that have a value.
    static func combine(_ parts: [CellValue], weights: [Double?], kind: IndicatorKind) -> (CellValue, String?) {
        let values = parts.compactMap(\.number)
        let anySuppressed = parts.contains(.suppressed)
        if kind == .count {
            if anySuppressed { return (.suppressed, "une partie confidentielle : total confidentiel") }
            if values.isEmpty { return (.missing, nil) }
            return (.value(values.reduce(0, +)), "somme de \(values.count) anciens codes")
        }
        var sum = 0.0, wsum = 0.0
        var equal = false
        for (p, w) in zip(parts, weights) {
            guard let v = p.number else { continue }
            let weight = w ?? { equal = true; return 1.0 }()
            sum += v * weight; wsum += weight
        }
        guard wsum > 0 else { return (anySuppressed ? .suppressed : .missing, nil) }
        var note = "moyenne pondérée par la population sur \(values.count) de \(parts.count) anciens codes"
        if equal { note += " (population inconnue pour certains : poids égaux)" }
        return (.value(sum / wsum), note)
    }

    /// Stored population by code for a vintage (weights for merged rates).
    static func populationWeights(store: TerritoryStore, level: Level, vintage: Int) throws -> [String: Double] {
        var out: [String: Double] = [:]
        for r in try store.db.query("SELECT territory_code, value FROM indicator_values WHERE indicator = 'population' AND level = ? AND vintage = ? AND value IS NOT NULL",
                                    [.text(level.rawValue), .int(Int64(vintage))]) {
            if let c = r[0].text, let v = r[1].double { out[c] = v }
        }
        return out
    }

    static func withUnit(_ d: IndicatorDefinition, _ unit: String?) -> IndicatorDefinition {
        var d = d
        if let unit { d.unit = unit }
        return d
    }
}

extension TerritoryStore {
    func saveDefinition(_ d: IndicatorDefinition) throws {
        try db.run("""
            INSERT INTO indicators (name, kind, unit, label_fr, label_en, definition) VALUES (?,?,?,?,?,?)
            ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, unit = excluded.unit, label_fr = excluded.label_fr,
              label_en = excluded.label_en, definition = excluded.definition
            """, [.text(d.name), .text(d.kind.rawValue), .text(d.unit), .text(d.labelFR), .text(d.labelEN),
                  .text(String(decoding: try JSONEncoder.sorted.encode(d), as: UTF8.self))])
    }

    /// The indicators imported into the store.
    public func indicatorDefinitions() throws -> [IndicatorDefinition] {
        guard try db.tableExists("indicators") else { return [] }
        return try db.query("SELECT definition FROM indicators ORDER BY name").compactMap {
            try $0[0].text.map { try JSONDecoder().decode(IndicatorDefinition.self, from: Data($0.utf8)) }
        }
    }

    /// Values of one indicator and vintage at a level: code → cell.
    public func indicatorValues(_ indicator: String, vintage: Int, level: Level = .municipality) throws -> [String: CellValue] {
        var out: [String: CellValue] = [:]
        for r in try db.query("SELECT territory_code, value, status FROM indicator_values WHERE indicator = ? AND vintage = ? AND level = ?",
                              [.text(indicator), .int(Int64(vintage)), .text(level.rawValue)]) {
            let c = r[0].text ?? ""
            switch r[2].text {
            case "ok": out[c] = r[1].double.map(CellValue.value) ?? .missing
            case "suppressed": out[c] = .suppressed
            default: out[c] = .missing
            }
        }
        return out
    }

    /// Vintages available for an indicator, newest first.
    public func vintages(_ indicator: String) throws -> [Int] {
        guard try db.tableExists("indicator_values") else { return [] }
        return try db.query("SELECT DISTINCT vintage FROM indicator_values WHERE indicator = ? ORDER BY vintage DESC", [.text(indicator)])
            .compactMap { $0[0].int }
    }
}
