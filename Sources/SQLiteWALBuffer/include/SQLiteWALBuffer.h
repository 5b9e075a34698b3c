#ifndef BANSHI_SQLITE_WAL_BUFFER_H
#define BANSHI_SQLITE_WAL_BUFFER_H
/// (The header leaves sqlite3.h out, so that Swift sees SQLite's declarations from CSQLite alone.)

/// The name of the VFS that `banshi_wal_buffer_register` registers.
#define BANSHI_WAL_BUFFER_VFS "banshi-wal-buffer"

/// Registers, once, a VFS named BANSHI_WAL_BUFFER_VFS over the default one (unix). It differs in one
/// thing: what a connection appends to a write-ahead log is gathered in memory and written with one
/// pwrite when the frame that commits a transaction is complete, or when 124 KiB are gathered, or
/// before anything else touches the file (a write elsewhere in it, a read, a sync, a size, a
/// truncation, a file control, the close); what a rolled-back transaction left gathered is dropped
/// when its connection gives up the log's write lock. Every other file is the default VFS's own,
/// unwrapped, but the main database file, wrapped only to see that lock (wal_buffer.c has the cases).
///
/// SQLite writes each frame of the log as two writes (its 24-byte header, then the page); a commit
/// of 40 pages was 80 system calls. Nothing is acknowledged any earlier: the write that completes
/// the commit frame returns only once everything gathered is written, with its error if it failed,
/// and only then does SQLite publish the frames to other connections (the wal-index header).
/// Returns SQLITE_OK, or the error of sqlite3_vfs_register.
int banshi_wal_buffer_register(void);

/// The writes (system calls) made to the write-ahead log of `connection` (an sqlite3 *) through this
/// VFS since the connection opened it; -1 when its log is not one of this VFS's (tests).
long long banshi_wal_buffer_log_writes(void *connection);
#endif
