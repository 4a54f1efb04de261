import Foundation
import PortraitModel

/// An indicator table as read from its file: codes normalised, numbers
/// cleaned, the first of duplicated codes kept. No store involved.
public struct IndicatorTable: Sendable {
    public struct Row: Sendable, Hashable {
        public var row: Int
        public var code: String
        public var name: String?
        /// The designation abbreviation given beside the name (V, MÉ, PE…), for name joins.
        public var designation: String?
        public var values: [String: CellValue]
        /// The row's other columns that tell homonyms apart (name joins).
        public var context = RowContext()

        public init(row: Int, code: String, name: String? = nil, designation: String? = nil, values: [String: CellValue]) {
            self.row = row; self.code = code; self.name = name; self.designation = designation; self.values = values
        }
    }

    /// (indicator name, column) of each value column.
    public var columns: [(indicator: String, field: String)]
    public var codeField: String
    /// Rows with a distinct code, in file order.
    public var rows: [Row]
    /// Data rows read, duplicates included.
    public var rowsRead: Int
    /// Codes found on more than one row, with their line numbers.
    public var duplicates: [JoinReport.Duplicate]
    /// Rows without a code, listed and skipped (refused with `--strict`).
    public var withoutCode: [JoinReport.Row]
    /// How a delimited text file was read; nil for a workbook.
    public var layout: TextLayout?

    public init(columns: [(indicator: String, field: String)], codeField: String = "code", rows: [Row], rowsRead: Int? = nil,
                duplicates: [JoinReport.Duplicate] = [], withoutCode: [JoinReport.Row] = []) {
        self.columns = columns; self.codeField = codeField; self.rows = rows; self.rowsRead = rowsRead ?? rows.count
        self.duplicates = duplicates; self.withoutCode = withoutCode
    }

    /// Reads the file (delimited text natively, workbooks through GDAL, every cell as text) and cleans it; an
    /// `ImportError` names the row and column at fault.
    static func read(file: String, options o: IndicatorImportOptions) throws -> IndicatorTable {
        try read(layer: try layer(file: file, options: o), file: file, options: o)
    }

    /// The file's only (or named) table, every cell as text; at least one data row.
    static func layer(file: String, options o: IndicatorImportOptions) throws -> SourceLayer {
        let keys = keyCandidates(o)
        var layer: SourceLayer
        if DelimitedText.handles(file) {
            // Only the columns the import reads are kept (a wide table's other cells are checked, never stored), when
            // they can be told from the header alone; the presets that choose columns later read them all.
            let project = o.preset == nil || o.preset == .statcanCensus
            layer = try DelimitedText.read(file: file, keys: keys, keep: project ? { fields in
                (try? resolve(fields: fields, file: file, options: o))?.used
            } : nil)
        } else {
            layer = try read(file: file, options: o, headers: true)
            // Published tables often put title and source rows above the header (ISQ): when the first row
            // holds none of the expected key columns, the header is the first row that does.
            if Header.find(keys, in: layer.fields) == nil, let found = headerBelow(try read(file: file, options: o, headers: false), keys: keys) {
                layer = found
            }
        }
        guard !layer.features.isEmpty else {
            throw ImportError(.emptyLayer, file: file, "aucune ligne de données")
        }
        return layer
    }

    /// The column headers that identify a row: the code's (or the name's, for a name join).
    static func keyCandidates(_ o: IndicatorImportOptions) -> [String] {
        // The MAMH register's own columns (munnom, mcode) and Statistics Canada's (Géographie, GEO_NAME) are known.
        if o.join == .name { return o.nameField.map { [$0] } ?? (o.preset?.nameFields ?? ["Nom géographique", "nom", "name", "munnom", "Géographie", "GEO_NAME", "Municipalité", "Localité"]) }
        return o.codeField.map { [$0] } ?? (o.preset?.codeFields ?? ["code_geo", "Code géographique", "code", "mcode", "CSDUID", "MUS_CO_GEO"])
    }

    /// Rows of a workbook read without a header (`field_1`…): the first whose cells name a key column becomes the
    /// header, the rows below it the data; line numbers stay those of the sheet.
    static func headerBelow(_ raw: SourceLayer, keys: [String]) -> SourceLayer? {
        for (i, f) in raw.features.enumerated().prefix(40) {
            let cells = raw.fields.map { f.attributes[$0]?.text?.trimmingSpaces() ?? "" }
            let wanted = Set(keys.map(Header.key))
            guard cells.contains(where: { !$0.isEmpty && wanted.contains(Header.key($0)) }) else { continue }
            var names: [String] = []
            for (k, c) in cells.enumerated() { names.append(c.isEmpty || names.contains(c) ? "colonne_\(k + 1)" : c) }
            let rename = Dictionary(uniqueKeysWithValues: zip(raw.fields, names))
            var out = raw
            out.fields = names
            out.features = raw.features[(i + 1)...].map { g in
                var h = g
                // `index + 2` is the line number for a one-line header: without one, line = raw index + 1.
                h.index = g.index - 1
                h.attributes = Dictionary(uniqueKeysWithValues: g.attributes.compactMap { k, v in rename[k].map { ($0, v) } })
                return h
            }
            return out
        }
        return nil
    }

    /// A workbook (XLSX, ODS) through GDAL, every cell as text.
    static func read(file: String, options o: IndicatorImportOptions, headers: Bool) throws -> SourceLayer {
        do {
            let h = headers ? "FORCE" : "DISABLE"
            // A workbook's data sheet ("Données" in INSPQ's correspondence file) rather than its notes.
            return try VectorSource.read(path: file, layer: o.layer, prefer: ["Données", "Data"],
                                         openOptions: ["AUTODETECT_TYPE=NO", "FIELD_TYPES=STRING"] + (headers ? [] : ["HEADERS=NO"]),
                                         configOptions: ["OGR_XLSX_HEADERS": h, "OGR_ODS_HEADERS": h,
                                                         "OGR_XLSX_FIELD_TYPES": "STRING", "OGR_ODS_FIELD_TYPES": "STRING"],
                                         drivers: .indicators)
        } catch let e as SourceError {
            switch e {
            case .fileNotFound: throw ImportError(.fileNotFound, file: file, "fichier introuvable")
            case .refused: throw ImportError(.notAGeoFile, file: file, e.message)
            default: throw ImportError(.notAGeoFile, file: file, "tableau illisible par GDAL (CSV ou XLSX attendu) : \(e)")
            }
        }
    }

    /// Cleans the rows of `layer`: codes normalised, numbers parsed and checked against the indicator's kind,
    /// duplicated codes and rows without code set apart.
    /// The columns a table's import reads, found in its header: code (or name), value columns, and the
    /// columns that tell homonyms apart.
    struct Resolved {
        var codeField: String
        var nameField: String?
        var columns: [(indicator: String, field: String)]
        var context: RowContext.Columns
        var used: Set<String> { Set([codeField, nameField].compactMap { $0 }.filter { !$0.isEmpty }).union(columns.map(\.field)).union(context.all) }
    }

    static func resolve(fields: [String], file: String, options o: IndicatorImportOptions) throws -> Resolved {
        let list = fields.joined(separator: ", ")
        func field(_ explicit: String?, _ candidates: [String], role: String, required: Bool) throws -> String? {
            if let explicit {
                guard fields.contains(explicit) else {
                    throw ImportError(.unknownField, file: file, "colonne « \(explicit) » (\(role)) introuvable ; colonnes présentes : \(list)")
                }
                return explicit
            }
            if let f = Header.find(candidates, in: fields) { return f }
            if required {
                throw ImportError(.unknownField, file: file,
                                  "aucune colonne de \(role) (attendu : \(candidates.prefix(4).joined(separator: ", "))…) : donnez-la avec --\(role == "code" ? "code" : role == "nom" ? "name" : "value")-field COLONNE ; colonnes présentes : \(list)")
            }
            return nil
        }
        let byName = o.join == .name
        let codeField = byName ? "" : try field(o.codeField, o.preset?.codeFields ?? ["code_geo", "Code géographique", "code", "mcode", "CSDUID", "MUS_CO_GEO"],
                                                role: "code", required: true)!
        let nameField = try field(o.nameField, o.preset?.nameFields ?? ["Nom géographique", "nom", "name", "munnom", "Géographie", "GEO_NAME", "Municipalité", "Localité"],
                                  role: "nom", required: byName)

        // Value columns: explicit (`name=FIELD` or `FIELD`), else the preset's.
        var columns: [(indicator: String, field: String)] = []
        if !o.valueFields.isEmpty {
            for spec in o.valueFields {
                let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
                let (name, f) = parts.count == 2 ? (parts[0], parts[1])
                    : ((o.valueFields.count == 1 ? o.indicator : nil) ?? Header.key(spec), spec)
                guard fields.contains(f) else {
                    throw ImportError(.unknownField, file: file, "colonne de valeurs « \(f) » introuvable ; colonnes présentes : \(list)")
                }
                columns.append((name, f))
            }
        } else if let preset = o.preset {
            for (name, headers) in preset.valueFields {
                if let f = Header.find(headers, in: fields) { columns.append((name, f)) }
            }
            guard !columns.isEmpty else {
                throw ImportError(.unknownField, file: file, "aucune colonne de valeurs du préréglage \(preset.rawValue) ; colonnes présentes : \(list)")
            }
            // A preset's column absent refuses the file, naming it: the rest imported alone would leave a portrait that
            // reads as complete (« aucune municipalité de 5 000 habitants » without a population). `--indicator` takes one.
            let absent = preset.valueFields.filter { v in
                preset.requiredIndicators.contains(v.indicator) && (o.indicator == nil || o.indicator == v.indicator)
                    && !columns.contains { $0.indicator == v.indicator }
            }
            if let first = absent.first {
                throw ImportError(.unknownField, file: file, "colonne de « \(first.indicator) » absente (attendue : \(first.headers.prefix(2).joined(separator: " ou ")))"
                                  + (absent.count > 1 ? ", et de « \(absent.dropFirst().map(\.indicator).joined(separator: " », « ")) »" : "")
                                  + " ; rien n'est importé. Pour n'importer qu'un indicateur présent : --indicator NOM (préréglage \(preset.rawValue)) ; colonnes présentes : \(list)")
            }
            if let only = o.indicator { columns = columns.filter { $0.indicator == only } }
        } else {
            throw ImportError(.unknownField, file: file, "précisez --value-field (ou un --preset) ; colonnes présentes : \(list)")
        }
        // The columns that tell homonyms apart (designation, MRC, census division, region, area), for name joins.
        let valueColumns = Set(columns.map(\.field))
        let context = (byName || o.matchNames)
            ? RowContext.Columns.detect(fields.filter { !valueColumns.contains($0) && $0 != nameField && $0 != codeField }) : .init()

        return Resolved(codeField: codeField, nameField: nameField, columns: columns, context: context)
    }

    static func read(layer: SourceLayer, file: String, options o: IndicatorImportOptions) throws -> IndicatorTable {
        var builder = try Builder(fields: layer.fields, file: file, options: o)
        try builder.checkLastRow(layer.textLayout)
        for f in layer.features { try builder.add(f) }
        return try builder.finish(layout: layer.textLayout)
    }

    /// A delimited text file cleaned row by row as it is read (`DelimitedText.stream`): only the columns the import
    /// reads are kept, and no row is held but in its cleaned form, so that memory follows the table's figures, not
    /// the file. Same rows, checks and messages as `read(layer:)`.
    static func stream(file: String, options o: IndicatorImportOptions) throws -> IndicatorTable {
        var builder: Builder?
        let project = o.preset == nil || o.preset == .statcanCensus
        let (_, layout, _) = try DelimitedText.stream(file: file, keys: keyCandidates(o), keep: { fields in
            builder = try Builder(fields: fields, file: file, options: o)
            return project ? builder!.resolved.used : nil
        }) { feature in try builder!.add(feature) }
        guard let b = builder else { throw ImportError(.emptyLayer, file: file, "aucune ligne de données") }
        guard b.rowsSeen > 0 else { throw ImportError(.emptyLayer, file: file, "aucune ligne de données") }
        try b.checkLastRow(layout)
        return try b.finish(layout: layout)
    }

    /// The cleaning of a table's rows, one at a time: codes normalised, numbers cleaned, duplicates and rows without
    /// code set apart; a bad cell names its row and column.
    struct Builder {
        let resolved: Resolved
        let fields: [String]
        let file: String
        let o: IndicatorImportOptions
        let byName: Bool
        let emptySuppressed: Bool
        let definitions: [String: IndicatorDefinition]
        var rows: [Row] = []
        var seen: [String: Int] = [:]
        var position: [String: Int] = [:]
        var rowsRead = 0
        /// Features given to `add`, blank ones included.
        var rowsSeen = 0
        var duplicateRows: [String: [Int]] = [:]
        var conflicting: Set<String> = []
        var withoutCode: [JoinReport.Row] = []

        init(fields: [String], file: String, options o: IndicatorImportOptions) throws {
            resolved = try IndicatorTable.resolve(fields: fields, file: file, options: o)
            self.fields = fields; self.file = file; self.o = o
            byName = o.join == .name
            emptySuppressed = o.emptyIsSuppressed ?? (o.preset?.emptyIsSuppressed ?? false)
            let columns = resolved.columns
            definitions = Dictionary(columns.map { c -> (String, IndicatorDefinition) in
                var d = IndicatorDefinition.named(c.indicator, kind: columns.count == 1 ? o.kind : nil)
                if let u = o.unit { d.unit = u }
                return (c.indicator, d)
            }) { a, _ in a }
        }

        /// A last data row without a line end may have been cut inside its last cell: refused when that cell is read.
        func checkLastRow(_ layout: TextLayout?) throws {
            if let layout, let line = layout.unterminatedRow, let lastColumn = fields.last, resolved.used.contains(lastColumn) {
                throw ImportError(.truncated, file: file, location: "ligne \(line)",
                                  "fichier tronqué ? la dernière ligne n'a pas de fin de ligne et sa dernière colonne (« \(lastColumn) »), lue par "
                                  + "l'importation, a pu être coupée ; si le fichier est complet, ajoutez une fin de ligne à la fin")
            }
        }

        /// The value cells of a row, cleaned and checked; a cell that is no number, or none of its kind, names its row and column.
        func cells(_ f: SourceFeature, location: String) throws -> [String: CellValue] {
            var values: [String: CellValue] = [:]
            for (indicator, col) in resolved.columns {
                let text = f.attributes[col]?.text
                values[indicator] = try ValueCheck.cell(text, column: col, definition: definitions[indicator]!, emptyIsSuppressed: emptySuppressed,
                                                        file: file, location: location)
            }
            return values
        }

        mutating func add(_ f: SourceFeature) throws {
            rowsSeen += 1
            let (codeField, nameField, columns, context) = (resolved.codeField, resolved.nameField, resolved.columns, resolved.context)
            // A blank line (between the table and its notes) is no row at all.
            if f.attributes.values.allSatisfy({ ($0.text ?? "").isBlank }) { return }
            let rowNumber = f.index + 2   // line 1 is the header
            let loc = "ligne \(rowNumber)"
            if byName {
                // Joined by name later; a row without a name is listed and skipped like a row without a code.
                let name = nameField.flatMap { f.attributes[$0]?.text?.trimmingSpaces() } ?? ""
                guard !name.isEmpty else {
                    if o.strict { throw ImportError(.missingValue, file: file, location: loc, "colonne \(nameField ?? "nom") : nom absent (--strict)") }
                    rowsRead += 1
                    withoutCode.append(.init(row: rowNumber, code: "", name: nil))
                    return
                }
                // A note below the table in a padded spreadsheet export ("Source : …;;;"): a name and no value at all.
                let noValue = columns.allSatisfy { (f.attributes[$0.field]?.text ?? "").isBlank }
                if noValue && !emptySuppressed && context.all.allSatisfy({ (f.attributes[$0]?.text ?? "").isEmpty }) && (name.contains(":") || name.split(separator: " ").count >= 4) && !o.strict {
                    rowsRead += 1
                    withoutCode.append(.init(row: rowNumber, code: "", name: name))
                    return
                }
                let values = try cells(f, location: "\(loc) (\(name))")
                rowsRead += 1
                var row = Row(row: rowNumber, code: "", name: name, designation: context.designation.flatMap { f.attributes[$0]?.text?.trimmingSpaces() },
                              values: values)
                row.context = context.read(f)
                rows.append(row)
                return
            }
            guard let raw = f.attributes[codeField]?.text?.trimmingSpaces(), !raw.isEmpty else {
                if o.strict { throw ImportError(.missingValue, file: file, location: loc, "colonne \(codeField) : code absent (--strict)") }
                rowsRead += 1
                withoutCode.append(.init(row: rowNumber, code: "", name: nameField.flatMap { f.attributes[$0]?.text }))
                return
            }
            let code: String
            do { code = try IndicatorImporter.normaliseIndicatorCode(raw, level: o.level) } catch {
                // A note below the table ("Note : …", "Source : …"): text in the code column and no value at all.
                let noValue = columns.allSatisfy { (f.attributes[$0.field]?.text ?? "").isBlank }
                if noValue && !o.strict {
                    rowsRead += 1
                    withoutCode.append(.init(row: rowNumber, code: "", name: raw))
                    return
                }
                throw ImportError(.nonNumericCode, file: file, location: loc, "colonne \(codeField) : code « \(raw) » non numérique ou trop long")
            }
            let values = try cells(f, location: "\(loc) (code \(code))")
            rowsRead += 1
            if let first = seen[code] {
                duplicateRows[code, default: [first]].append(rowNumber)
                // Two rows of one code with different figures: neither is taken.
                if let kept = position[code], rows[kept].values != values { conflicting.insert(code) }
                return
            }
            seen[code] = rowNumber
            position[code] = rows.count
            var row = Row(row: rowNumber, code: code, name: nameField.flatMap { f.attributes[$0]?.text }, values: values)
            row.context = context.read(f)
            rows.append(row)
        }

        func finish(layout: TextLayout?) throws -> IndicatorTable {
            var rows = self.rows
            rows.removeAll { conflicting.contains($0.code) }
            guard !rows.isEmpty || !conflicting.isEmpty else {
                let nameField = resolved.nameField, codeField = resolved.codeField
                throw ImportError(.missingValue, file: file, "aucune ligne avec \(byName ? "un nom dans la colonne \(nameField ?? "nom")" : "un code dans la colonne \(codeField)") (\(withoutCode.count) ligne(s) sans \(byName ? "nom" : "code"))")
            }
            var table = IndicatorTable(columns: resolved.columns, codeField: resolved.codeField, rows: rows, rowsRead: rowsRead,
                                       duplicates: duplicateRows.keys.sorted().map {
                                           JoinReport.Duplicate(code: $0, rows: duplicateRows[$0]!, valuesDiffer: conflicting.contains($0))
                                       },
                                       withoutCode: withoutCode)
            table.layout = layout
            return table
        }
    }
}
