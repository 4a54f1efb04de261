import Foundation
import PortraitModel

/// How values are cut into classes for maps and portraits.
public enum ClassificationMethod: String, Codable, Sendable, CaseIterable {
    /// Equal counts per class (quintiles by default); breaks at numpy's linear-interpolated percentiles, as mapclassify.Quantiles.
    case quantiles
    /// Classes of equal width between the minimum and the maximum (mapclassify.EqualInterval).
    case equalInterval = "equal-interval"
    /// Fisher-Jenks optimal natural breaks (mapclassify.FisherJenks): least squared deviation within classes.
    case jenks
    /// Fixed thresholds given by the user (mapclassify.UserDefined), e.g. −5 for the IVE.
    case thresholds
    /// The indicator's own threshold, two classes: the former MAMROT "très dévitalisées" (IVE < −5, strictly)
    /// against the others, or deprivation quintiles 4 and 5 against 1 to 3.
    case threshold
}

/// A classification of values: upper bounds of each class (a value goes in the
/// first class whose upper bound it does not exceed, as in mapclassify), with
/// labels ready for a legend. Deterministic for the same values.
public struct Classification: Codable, Sendable, Hashable {
    public struct ClassRange: Codable, Sendable, Hashable {
        public var index: Int
        public var lower: Double
        public var upper: Double
        public var count: Int
        public var labelFR: String
        public var labelEN: String
        enum CodingKeys: String, CodingKey { case index, lower, upper, count, labelFR = "label_fr", labelEN = "label_en" }
    }

    public var method: ClassificationMethod
    /// Upper bound of each class; the last is the maximum.
    public var breaks: [Double]
    public var minimum: Double
    public var classes: [ClassRange]

    /// Classifies `values` (non-finite values ignored) into `k` classes, or by `thresholds`.
    public init(values: [Double], method: ClassificationMethod = .quantiles, k: Int = 5, thresholds: [Double] = [],
                decimals: Int = 1) {
        let y = values.filter(\.isFinite).sorted()
        self.method = method
        guard let lo = y.first, let hi = y.last else {
            self.breaks = []; self.minimum = .nan; self.classes = []; return
        }
        minimum = lo
        let k = max(1, min(k, y.count))
        var b: [Double]
        switch method {
        case .quantiles:
            b = (1...k).map { Self.percentile(y, Double($0) * 100 / Double(k)) }
        case .equalInterval:
            let w = (hi - lo) / Double(k)
            b = (1..<k).map { lo + w * Double($0) } + [hi]
        case .jenks:
            b = Self.fisherJenks(y, k)
        case .thresholds, .threshold:
            b = thresholds.sorted().filter { $0 < hi } + [hi]
        }
        // Equal breaks collapse (as numpy.unique in mapclassify).
        var unique: [Double] = []
        for v in b where unique.last != v { unique.append(v) }
        breaks = unique
        var counts = [Int](repeating: 0, count: unique.count)
        for v in y { counts[Self.index(of: v, in: unique)] += 1 }
        var out: [ClassRange] = []
        for (i, u) in unique.enumerated() {
            let l = i == 0 ? lo : unique[i - 1]
            // A fixed lowest threshold under every value: the first class, empty, reads "up to" it.
            let fr = i == 0 && l > u ? "jusqu'à \(Self.format(u, decimals, .fr))"
                : i == 0 ? "\(Self.format(l, decimals, .fr)) à \(Self.format(u, decimals, .fr))"
                : "plus de \(Self.format(l, decimals, .fr)) à \(Self.format(u, decimals, .fr))"
            let en = i == 0 && l > u ? "up to \(Self.format(u, decimals, .en))"
                : i == 0 ? "\(Self.format(l, decimals, .en)) to \(Self.format(u, decimals, .en))"
                : "over \(Self.format(l, decimals, .en)) to \(Self.format(u, decimals, .en))"
            out.append(ClassRange(index: i + 1, lower: l, upper: u, count: counts[i], labelFR: fr, labelEN: en))
        }
        classes = out
    }

    /// Two classes cut at an indicator's threshold, with its own words: below −5 (strictly) for the IVE,
    /// at least 4 for a deprivation quintile. A value equal to a "below" threshold is not below it.
    public static func threshold(_ t: IndicatorDefinition.Threshold, values: [Double], decimals: Int = 1) -> Classification {
        let y = values.filter(\.isFinite).sorted()
        var c = Classification(values: [])
        c.method = .threshold
        guard let lo = y.first, let hi = y.last else { return c }
        c.minimum = lo
        // Class 1 holds v ≤ cut: for "below", v < t (cut just under t); for "at least", v < t as well (the rest is ≥ t).
        let cut = t.value.nextDown
        c.breaks = [cut, max(hi, t.value)]
        let low = y.filter { $0 <= cut }.count
        let v = { (l: Language) in format(t.value, decimals, l) }
        let (firstFR, firstEN, secondFR, secondEN) = t.direction == .below
            ? (t.labelFR, t.labelEN, "autres (\(v(.fr)) ou plus)", "others (\(v(.en)) or more)")
            : ("moins de \(v(.fr))", "under \(v(.en))", t.labelFR, t.labelEN)
        c.classes = [ClassRange(index: 1, lower: min(lo, cut), upper: cut, count: low, labelFR: firstFR, labelEN: firstEN),
                     ClassRange(index: 2, lower: t.value, upper: max(hi, t.value), count: y.count - low, labelFR: secondFR, labelEN: secondEN)]
        return c
    }

    /// Classes for values that are already classes (quintiles 1 to 5).
    public static func ordinal(values: [Double], classes n: Int = 5) -> Classification {
        var c = Classification(values: [])
        c.method = .thresholds
        c.minimum = 1
        c.breaks = (1..<n).map { Double($0) + 0.5 } + [Double(n)]
        let finite = values.filter(\.isFinite)
        c.classes = (1...n).map { q in
            ClassRange(index: q, lower: Double(q) - 0.5, upper: Double(q) + 0.5,
                       count: finite.filter { Int($0.rounded()) == q }.count,
                       labelFR: "quintile \(q)", labelEN: "quintile \(q)")
        }
        return c
    }

    /// One-based class of `v`, or nil when `v` is not finite or there are no classes.
    public func classOf(_ v: Double) -> Int? {
        guard v.isFinite, !breaks.isEmpty else { return nil }
        return Self.index(of: v, in: breaks) + 1
    }

    static func index(of v: Double, in breaks: [Double]) -> Int {
        breaks.firstIndex { v <= $0 } ?? breaks.count - 1
    }

    /// numpy.percentile with linear interpolation, on sorted values.
    static func percentile(_ y: [Double], _ p: Double) -> Double {
        let pos = p / 100 * Double(y.count - 1)
        let i = Int(pos.rounded(.down))
        if i >= y.count - 1 { return y[y.count - 1] }
        let frac = pos - Double(i)
        return y[i] + (y[i + 1] - y[i]) * frac
    }

    /// Fisher's exact optimal partition of sorted values into k classes; returns upper bounds.
    static func fisherJenks(_ y: [Double], _ k: Int) -> [Double] {
        let n = y.count
        guard k > 1, n > k else { return Array(Set(y)).sorted().suffix(k) }
        var lowerClassStart = [[Int]](repeating: [Int](repeating: 0, count: k + 1), count: n + 1)
        var variance = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: n + 1)
        for j in 1...k {
            lowerClassStart[1][j] = 1
            for i in 2...n { variance[i][j] = .infinity }
        }
        for l in 2...n {
            var s1 = 0.0, s2 = 0.0, w = 0.0, v = 0.0
            for m in 1...l {
                let i3 = l - m + 1
                let val = y[i3 - 1]
                s2 += val * val; s1 += val; w += 1
                v = s2 - s1 * s1 / w
                let i4 = i3 - 1
                if i4 != 0 {
                    for j in 2...k where variance[l][j] >= v + variance[i4][j - 1] {
                        lowerClassStart[l][j] = i3
                        variance[l][j] = v + variance[i4][j - 1]
                    }
                }
            }
            lowerClassStart[l][1] = 1
            variance[l][1] = v
        }
        var bounds = [Double](repeating: 0, count: k + 1)
        bounds[k] = y[n - 1]
        var kk = n
        for c in stride(from: k, through: 2, by: -1) {
            let start = lowerClassStart[kk][c]
            bounds[c - 1] = y[start - 2]
            kk = start - 1
        }
        return Array(bounds[1...])
    }

    /// A number for a legend: French decimal comma and narrow spaces, or English.
    static func format(_ v: Double, _ decimals: Int, _ lang: Language) -> String {
        NumberText.format(v, decimals: decimals, language: lang)
    }
}

/// Number formatting for planners' documents.
public enum NumberText {
    /// "199 039", "12,5", "−5,2" in French; "199,039", "12.5", "-5.2" in English.
    public static func format(_ v: Double, decimals: Int = 0, language: Language = .fr) -> String {
        guard v.isFinite else { return "—" }
        let f = NumberFormatter()
        f.locale = Locale(identifier: language == .fr ? "fr_CA" : "en_CA")
        f.numberStyle = .decimal
        f.minimumFractionDigits = 0
        f.maximumFractionDigits = decimals
        f.roundingMode = .halfEven
        var s = f.string(from: NSNumber(value: v)) ?? String(v)
        if language == .fr {
            s = s.replacingOccurrences(of: "\u{202F}", with: " ").replacingOccurrences(of: "\u{00A0}", with: " ")
            s = s.replacingOccurrences(of: "-", with: "−")
        }
        if s == "−0" || s == "-0" { s = "0" }
        return s
    }

    /// "53,2 %" / "53.2%".
    public static func percent(_ share: Double?, language: Language = .fr) -> String {
        guard let share, share.isFinite else { return "—" }
        // A share that rounds to nothing is not nothing: « < 0,1 % », never « 0 % ».
        if share != 0, abs(share * 100) < 0.05 {
            let bound = format(0.1, decimals: 1, language: language)
            return share > 0 ? (language == .fr ? "< \(bound) %" : "< \(bound)%") : (language == .fr ? "> −\(bound) %" : "> -\(bound)%")
        }
        let n = format(share * 100, decimals: 1, language: language)
        return language == .fr ? "\(n) %" : "\(n)%"
    }
}

extension Classification.ClassRange {
    /// The label in `language`.
    public func label(_ language: Language) -> String { language == .fr ? labelFR : labelEN }
}
