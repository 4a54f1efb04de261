import Foundation
import PortraitModel

/// A new SQLite file made whole before anyone sees it: built under a temporary name beside `path`, then linked
/// into place (`link`, which never replaces a file, so never one another connection has open). A process killed
/// before the end leaves no file at `path`, never a half-made one.
enum NewFile {
    /// Runs `make` on the temporary path, then links it to `path`. When `path` appeared meanwhile (another process
    /// made it first), `raced` is called instead and its answer returned.
    static func create<R>(at path: String, _ make: (String) throws -> R, raced: () throws -> R) throws -> R {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) } }
        let result = try make(temporary)
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { return try raced() }
            throw StoreError(path: path, function: "link", message: String(cString: strerror(errno)), kind: .unavailable)
        }
        return result
    }
}
