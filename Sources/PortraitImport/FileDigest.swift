import Crypto
import Foundation

/// Fingerprints of source files, for the imports log.
enum FileDigest {
    /// Lowercase hex SHA-256 of a file's bytes (swift-crypto's `SHA256`), read in 1 MiB blocks.
    static func sha256(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError(.fileNotFound, file: path, "fichier introuvable ou illisible")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty { hasher.update(data: block) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
