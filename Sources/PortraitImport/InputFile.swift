import Foundation

/// Import paths: only what can be read to its end without waiting.
public enum InputFile {
    /// Refuses at once a named pipe, a device or a socket (opening one would wait for a writer, or never end);
    /// regular files and folders (a Shapefile's or a FileGDB's) pass. A missing path is left to the reader.
    public static func requireOrdinary(_ path: String) throws {
        let target = (path as NSString).resolvingSymlinksInPath
        guard let type = (try? FileManager.default.attributesOfItem(atPath: target))?[.type] as? FileAttributeType else { return }
        guard type == .typeRegular || type == .typeDirectory else {
            throw ImportError(.notAGeoFile, file: path, "ce n'est pas un fichier ordinaire (tube nommé, périphérique ou socket) : rien n'est lu")
        }
    }
}
