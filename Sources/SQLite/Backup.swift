import CSQLite

extension Database {
    /// Copies this connection's database into `destination`'s, whole, in one step (SQLite's online
    /// backup API, from this connection's snapshot); returns the pages copied.
    func backup(to destination: Database) throws -> Int {
        guard let backup = sqlite3_backup_init(destination.sqliteConnection, "main", sqliteConnection, "main") else {
            throw destination.failure(sqlite3_errcode(destination.sqliteConnection), sql: nil)
        }
        let code = sqlite3_backup_step(backup, -1)
        let pages = Int(sqlite3_backup_pagecount(backup))
        let finish = sqlite3_backup_finish(backup)
        guard code == SQLITE_DONE else { throw destination.failure(code, sql: nil) }
        guard finish == SQLITE_OK else { throw destination.failure(finish, sql: nil) }
        return pages
    }
}

extension DatabaseWriter {
    /// Copies the database into `destination`, consistently, while it stays in use; returns the
    /// pages copied.
    public func backup(to destination: DatabaseQueue) throws -> Int {
        try read { source in try destination.writeWithoutTransaction { try source.backup(to: $0) } }
    }
}
