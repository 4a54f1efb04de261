/// FNV-1a, 64 bits: a short hash stable across runs and machines (Swift's `Hasher` is seeded per process), for
/// cache keys, ETags, synthetic values and the ids of features that have none.
public enum StableHash {
    public static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}
