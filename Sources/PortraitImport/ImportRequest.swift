import Foundation
import PortraitModel
import PortraitStore

/// An import asked for by name and options, as the HTTP write route receives it: the kind
/// (`boundaries`, `coastline`, `indicators`, `services`, `mobilisations`, `plan`, `measurements`, `places`, `territories`), the file, and the
/// options under the CLI's own long names (`level=municipality`, `preset=sda`, `field=code=CODE`…; flags as
/// `match-names=true`). It runs the same importer as `portrait import KIND` and answers its JSON report
/// (`--format json`), join report included.
public struct ImportRequest: Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case boundaries, coastline, indicators, services, mobilisations, plan, measurements, places, territories
    }

    public var kind: Kind
    public var parameters: [(name: String, value: String)]

    /// Options each kind accepts (files named by path, such as `--code-changes` or `--targets`, stay CLI-only).
    static let accepted: [Kind: Set<String>] = [
        .boundaries: ["level", "preset", "field", "crs", "layer"],
        .coastline: ["crs", "layer"],
        .indicators: ["indicator", "vintage", "level", "preset", "code-field", "name-field", "value-field", "kind", "unit", "source",
                      "no-code-changes", "match-names", "empty-as-suppressed", "characteristic", "join", "scale", "strict"],
        .services: ["category", "preset", "field", "vintage", "all-sources"],
        .mobilisations: [],
        .plan: [],
        .measurements: ["plan", "strict"],
        .places: ["name-field"],
        .territories: [],
    ]

    /// `kind` by name, and its parameters; an unknown kind or option is invalid input naming what is accepted.
    public init(kind raw: String, parameters: [(name: String, value: String)]) throws {
        guard let k = Kind(rawValue: raw) else {
            throw ImportRequestError("type d'importation « \(raw) » inconnu ; attendus : \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        kind = k
        self.parameters = parameters
        let allowed = Self.accepted[k] ?? []
        for p in parameters where !allowed.contains(p.name) {
            throw ImportRequestError("option « \(Escape.plain(p.name, limit: 60)) » inconnue pour \(raw) ; acceptées : "
                                     + (allowed.isEmpty ? "aucune" : allowed.sorted().joined(separator: ", ")))
        }
        // Every name-like option against its rule before a byte of the file is read (the importers check again).
        for p in parameters {
            switch p.name {
            case "indicator": try NameRule.checkIdentifier(p.value, option: p.name)
            case "value-field", "field": try NameRule.checkPair(p.value, option: p.name)
            case "code-field", "name-field", "layer", "crs", "plan", "category": try NameRule.checkField(p.value, option: p.name)
            case "unit": try NameRule.checkLabel(p.value, option: p.name)
            case "source": try NameRule.checkText(p.value, option: p.name)
            case "characteristic":
                let parts = p.value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                try NameRule.checkField(parts[0], option: "characteristic (avant =)")
                if parts.count == 2 { try NameRule.checkIdentifier(parts[1].trimmingCharacters(in: .whitespaces), option: "characteristic (après =)") }
            default: break
            }
        }
    }

    func values(_ name: String) -> [String] { parameters.filter { $0.name == name }.map(\.value) }
    func value(_ name: String) -> String? { values(name).last }

    func flag(_ name: String) throws -> Bool {
        guard let v = value(name) else { return false }
        switch v.lowercased() {
        case "", "true", "1", "oui", "yes": return true
        case "false", "0", "non", "no": return false
        default: throw ImportRequestError("\(name)=\(v) : attendu true ou false")
        }
    }

    func int(_ name: String) throws -> Int? {
        guard let v = value(name) else { return nil }
        guard let i = Int(v) else { throw ImportRequestError("\(name)=\(v) : attendu un nombre entier (ex. 2021)") }
        return i
    }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let v = value(name) else { return nil }
        guard let c = T(rawValue: v) else {
            throw ImportRequestError("\(name)=\(v) : attendu " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return c
    }

    func roles(_ name: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for f in values(name) {
            let parts = f.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ImportRequestError("\(name)=\(f) : la forme attendue est role=CHAMP (ex. code=MUS_CO_GEO)") }
            out[parts[0]] = parts[1]
        }
        return out
    }

    /// Runs the import of `file` into the store at `storePath`; the report as JSON.
    /// `scope`: the plan and local concertation a limited writer may record measurements for.
    public func run(file: String, storePath: String, scope: MeasurementImporter.Scope = .init()) throws -> Data {
        let encoder = JSONEncoder.stablePretty
        switch kind {
        case .boundaries:
            guard let level = try choice("level", Level.self) else { throw ImportRequestError("level manquant : region, mrc ou municipality") }
            let preset = try choice("preset", BoundaryPreset.self) ?? .sda
            let fields = try roles("field")
            if preset == .custom && fields["code"] == nil {
                throw ImportRequestError("preset=custom demande au moins field=code=… et field=name=…")
            }
            return try encoder.encode(try BoundaryImporter.run(
                file: file, options: BoundaryImportOptions(level: level, preset: preset, fieldOverrides: fields, crs: value("crs"),
                                                           layer: value("layer")), storePath: storePath))
        case .coastline:
            return try encoder.encode(try CoastlineImporter.run(file: file, crs: value("crs"), layer: value("layer"), storePath: storePath))
        case .indicators:
            let preset = try choice("preset", IndicatorPreset.self)
            let valueFields = values("value-field")
            let vintage = try int("vintage")
            if preset == nil && valueFields.isEmpty { throw ImportRequestError("précisez value-field=COLONNE ou un preset") }
            if vintage == nil && preset != .isqIVE { throw ImportRequestError("précisez vintage=ANNÉE (millésime des valeurs)") }
            if preset == nil && valueFields.count == 1 && value("indicator") == nil && !valueFields[0].contains("=") {
                throw ImportRequestError("précisez indicator=NOM pour la colonne \(valueFields[0])")
            }
            var o = IndicatorImportOptions(
                indicator: value("indicator"), vintage: vintage ?? 0, level: try choice("level", Level.self) ?? .municipality,
                preset: preset, codeField: value("code-field"), nameField: value("name-field"), valueFields: valueFields,
                kind: try choice("kind", IndicatorKind.self), unit: value("unit"), source: value("source"),
                codeChanges: try flag("no-code-changes") ? .none : .builtIn, matchNames: try flag("match-names"),
                emptyIsSuppressed: try flag("empty-as-suppressed") ? true : nil)
            o.strict = try flag("strict")
            o.scale = try choice("scale", DeprivationAreas.Scale.self)
            o.join = try choice("join", IndicatorImportOptions.JoinKey.self) ?? .code
            o.characteristics = try CensusProfile.parse(values("characteristic"))
            if preset == .statcanProfile && o.characteristics.isEmpty {
                throw ImportRequestError("preset=statcan-profile demande au moins un characteristic=ID=NOM (ex. characteristic=1=population)")
            }
            return try encoder.encode(try IndicatorImporter.run(file: file, options: o, storePath: storePath))
        case .services:
            guard let category = value("category") else { throw ImportRequestError("category manquant (ex. ecole, clsc, sante)") }
            return try encoder.encode(try ServiceImporter.run(
                file: file, category: category, preset: try choice("preset", ServicePreset.self) ?? .custom, fields: try roles("field"),
                vintage: try int("vintage"), allSources: try flag("all-sources"), storePath: storePath))
        case .mobilisations:
            return try encoder.encode(try MobilisationImporter.run(file: file, storePath: storePath))
        case .plan:
            return try encoder.encode(try PlanImporter.run(file: file, storePath: storePath))
        case .measurements:
            return try encoder.encode(try MeasurementImporter.run(file: file, plan: value("plan"), strict: try flag("strict"), scope: scope, storePath: storePath))
        case .places:
            return try encoder.encode(try PlacesImporter.run(file: file, nameField: value("name-field"), storePath: storePath))
        case .territories:
            return try encoder.encode(try TerritoriesImporter.run(file: file, storePath: storePath))
        }
    }
}

/// A write request that cannot run as asked (unknown kind or option, missing or unreadable value).
public struct ImportRequestError: PortraitError, Sendable {
    public var message: String
    public var kind: ErrorKind { .invalidInput }
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
