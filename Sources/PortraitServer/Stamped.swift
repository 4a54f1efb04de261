import PortraitModel
/// One value kept for one store state (the store's change stamp): read again only when the store changed.
final class Stamped<Value: Sendable>: Sendable {
    private let slot = Protected<(stamp: String, value: Value)?>(nil)

    init() {}

    /// The value kept for `stamp`, or nil when none was kept or the store changed since.
    func value(stamp: String) -> Value? {
        slot.withLock { s in s.flatMap { $0.stamp == stamp ? $0.value : nil } }
    }

    func set(_ value: Value, stamp: String) { slot.withLock { $0 = (stamp, value) } }
}
