#include <sqlite3.h>

/// Reads `n` bytes at offset 0 of the main database file of `db` through SQLite's own file handle
/// (`SQLITE_FCNTL_FILE_POINTER`), so that no other descriptor of the file is opened and closed: closing one
/// would release every POSIX lock the process holds on the file, SQLite's included.
static inline int portrait_sqlite_read_header(sqlite3 *db, unsigned char *buf, int n) {
    sqlite3_file *file = 0;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || !file || !file->pMethods) return SQLITE_ERROR;
    return file->pMethods->xRead(file, buf, n, 0);
}
