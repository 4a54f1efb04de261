import Foundation

/// A value shared between threads, behind a pthread mutex (`NSLock`). Used instead of the Synchronization
/// module's `Mutex`, which on Linux waits on a futex through atomics the thread sanitizer does not see: under
/// `scripts/sanitize soak`, every access inside its `withLock` was reported as a race. With this lock the
/// sanitizer sees each acquisition and release.
public final class Protected<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with the value, the lock held.
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
