import CSQLite
import PortraitModel

/// A failure of the store itself (SQLite, PostgreSQL or the file system), with the database's own message.
public struct StoreError: PortraitError, Hashable, Sendable {
    public var path: String
    /// The SQLite function or step that failed (`sqlite3_prepare_v2`, …), or "open".
    public var function: String
    public var message: String
    public var sql: String?
    /// SQLite's extended result code, when SQLite reported the failure.
    public var code: Int32?
    public var kind: ErrorKind
    /// The database library that reported it: "SQLite" or "PostgreSQL".
    public var library: String

    public init(path: String, function: String, message: String, sql: String? = nil, code: Int32? = nil, kind: ErrorKind? = nil,
                library: String = "SQLite") {
        self.path = path; self.function = function; self.message = message; self.sql = sql; self.code = code
        self.kind = kind ?? code.map(Self.kind(ofSQLiteCode:)) ?? .internal
        self.library = library
    }

    /// No store at `path`: the same answer everywhere (503 over HTTP, exit code 3).
    public static func missing(_ path: String) -> StoreError {
        StoreError(path: path, function: "open", message: "aucun magasin ici : importez des limites (portrait import boundaries) ou chargez la démo (portrait demo load)",
                   kind: .unavailable)
    }

    /// Busy, locked, read-only, full, unreachable: the store is there but cannot be used now.
    static func kind(ofSQLiteCode code: Int32) -> ErrorKind {
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_PERM: .unavailable
        case SQLITE_NOTADB, SQLITE_CORRUPT: .invalidInput
        default: .internal
        }
    }

    /// What a planner can do about it, for the failures that are not Portrait's.
    var hint: String? {
        if library == "PostgreSQL" {
            if function.hasPrefix("SQLSTATE 28") { return "accès refusé par PostgreSQL (utilisateur ou mot de passe : dans l'adresse ou PGPASSWORD)" }
            if function == "SQLSTATE 3D000" { return "cette base n'existe pas sur le serveur (createdb NOM)" }
            return kind == .unavailable ? "base PostgreSQL injoignable ou occupée : rien n'a été changé ; recommencez quand elle répondra" : nil
        }
        // SQLITE_READONLY_ROLLBACK: a hot journal a read-only connection cannot roll back.
        if code == 776 {
            return "le magasin garde le journal d'une écriture interrompue (importation arrêtée de force ?) et ce compte ne peut pas écrire le fichier ou son dossier pour l'annuler : rien n'est perdu ; lancez une fois « portrait info » avec le compte propriétaire du magasin, qui remet le magasin dans son état d'avant l'écriture"
        }
        return switch (code ?? 0) & 0xFF {
        case SQLITE_FULL, SQLITE_IOERR: "écriture impossible (disque plein, quota ou fichier trop gros ?) : rien n'a été changé ; libérez de la place et recommencez"
        case SQLITE_READONLY, SQLITE_PERM: "magasin en lecture seule (droits du fichier ou de son dossier) : rien n'a été changé"
        case SQLITE_BUSY, SQLITE_LOCKED: "magasin occupé par une autre importation : recommencez quand elle sera finie"
        default: nil
        }
    }

    public var description: String {
        if function == "open" || function == "create" { return "magasin \(path) : \(message)" }
        return "magasin \(path) : " + (hint.map { $0 + " — " } ?? "") + "\(library) (\(function)) : \(message)" + (sql.map { " [\($0.prefix(120))]" } ?? "")
    }
}
