// A VFS that gathers a commit's writes to a write-ahead log: see include/SQLiteWALBuffer.h.
//
// SQLite writes the log in these ways, and each is handled so that the file holds, whenever SQLite
// next looks at it or lets another connection look, exactly what it would hold without this VFS:
// - the log's header at offset 0 (a new or restarted log), then each frame as two writes, its
//   24-byte header and its page, one after the other: gathered, and written once the page of the
//   frame that commits the transaction is in (its header carries the database size, zero in every
//   other frame), or once 124 KiB are gathered;
// - in a transaction larger than the page cache, frames already written (spilled) are written again
//   in place, and at the commit their headers are written again with new checksums, each after a
//   read of the frame: anything not at the log's end is written at once, after what is gathered;
// - a read, a sync, a size, a truncation, a file control or the close: after what is gathered;
// - a transaction rolled back after it spilled: its frames, never to be committed, may still be
//   gathered when the connection gives up the log's write lock (on the database file's shared
//   memory); they are dropped then, so that they cannot later land on frames another connection
//   committed at the same place.
#include "SQLiteWALBuffer.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/// A frame's header in the log: page number, then, for the frame that commits a transaction, the
/// database's size in pages after it (zero in every other frame), both big-endian.
enum { FRAME_HEADER_BYTES = 24 };
/// Gathered at most, per log: 30 frames of 4 KiB pages, 7 of 16 KiB. A larger transaction (a catch-up's) is
/// written in pieces of this size, each one system call. The unix VFS writes at most 128 KiB less
/// one byte in one call (it masks the length to 17 bits): a larger write comes back short, as if the
/// disk were full.
enum { BUFFER_CAPACITY = 124 * 1024 };
/// The lock in the shared memory that a connection holds while it writes the log (SQLite's wal.c).
enum { WAL_WRITE_LOCK = 0 };

typedef struct LogFile LogFile;

/// What both wrapped files begin with: SQLite's part, then the default VFS's own file (placed right
/// after the wrapper), to which every method not handled here is forwarded.
typedef struct WrappedFile {
    sqlite3_file base;
    sqlite3_file *real;
} WrappedFile;

/// A database file, with the log it is paired with while that is open.
typedef struct DatabaseFile {
    WrappedFile wrapped;
    /// The name SQLite opened it by: the same pointer its log's name leads back to.
    const char *name;
    LogFile *log;
    struct DatabaseFile *next;
} DatabaseFile;

struct LogFile {
    WrappedFile wrapped;
    DatabaseFile *database;
    /// What is gathered, to be written at `start`; allocated at the first write.
    unsigned char *buffer;
    sqlite3_int64 start;
    int length;
    /// Where the next frame goes, as far as this connection knows: just past the last write that
    /// extended the log.
    sqlite3_int64 end;
    /// The last write was the header of a commit frame: the next one (its page) completes the commit.
    int commitPending;
    /// Writes handed to the default VFS.
    long long writes;
};

static sqlite3_vfs bufferVFS;
static sqlite3_vfs *defaultVFS;
/// The database files open through this VFS, for their logs to find them.
static DatabaseFile *openDatabases;
static pthread_mutex_t openDatabasesLock = PTHREAD_MUTEX_INITIALIZER;

#define REAL(handle) (((WrappedFile *)(handle))->real)

// The default VFS's file's methods, called on a wrapped file.
static int forwardRead(sqlite3_file *handle, void *data, int amount, sqlite3_int64 offset) {
    return REAL(handle)->pMethods->xRead(REAL(handle), data, amount, offset);
}
static int forwardWrite(sqlite3_file *handle, const void *data, int amount, sqlite3_int64 offset) {
    return REAL(handle)->pMethods->xWrite(REAL(handle), data, amount, offset);
}
static int forwardTruncate(sqlite3_file *handle, sqlite3_int64 size) { return REAL(handle)->pMethods->xTruncate(REAL(handle), size); }
static int forwardSync(sqlite3_file *handle, int flags) { return REAL(handle)->pMethods->xSync(REAL(handle), flags); }
static int forwardFileSize(sqlite3_file *handle, sqlite3_int64 *size) { return REAL(handle)->pMethods->xFileSize(REAL(handle), size); }
static int forwardLock(sqlite3_file *handle, int lock) { return REAL(handle)->pMethods->xLock(REAL(handle), lock); }
static int forwardUnlock(sqlite3_file *handle, int lock) { return REAL(handle)->pMethods->xUnlock(REAL(handle), lock); }
static int forwardCheckReservedLock(sqlite3_file *handle, int *reserved) {
    return REAL(handle)->pMethods->xCheckReservedLock(REAL(handle), reserved);
}
static int forwardFileControl(sqlite3_file *handle, int op, void *argument) {
    return REAL(handle)->pMethods->xFileControl(REAL(handle), op, argument);
}
static int forwardSectorSize(sqlite3_file *handle) { return REAL(handle)->pMethods->xSectorSize(REAL(handle)); }
static int forwardDeviceCharacteristics(sqlite3_file *handle) {
    return REAL(handle)->pMethods->xDeviceCharacteristics(REAL(handle));
}
static int forwardShmMap(sqlite3_file *handle, int region, int size, int extend, void volatile **memory) {
    return REAL(handle)->pMethods->xShmMap(REAL(handle), region, size, extend, memory);
}
static void forwardShmBarrier(sqlite3_file *handle) { REAL(handle)->pMethods->xShmBarrier(REAL(handle)); }
static int forwardShmUnmap(sqlite3_file *handle, int deleteFlag) { return REAL(handle)->pMethods->xShmUnmap(REAL(handle), deleteFlag); }
static int forwardFetch(sqlite3_file *handle, sqlite3_int64 offset, int amount, void **pages) {
    return REAL(handle)->pMethods->xFetch(REAL(handle), offset, amount, pages);
}
static int forwardUnfetch(sqlite3_file *handle, sqlite3_int64 offset, void *pages) {
    return REAL(handle)->pMethods->xUnfetch(REAL(handle), offset, pages);
}

static int writeThrough(LogFile *file, const void *data, int amount, sqlite3_int64 offset) {
    file->writes += 1;
    return forwardWrite(&file->wrapped.base, data, amount, offset);
}

static int flush(LogFile *file) {
    if (file->length == 0) return SQLITE_OK;
    int code = writeThrough(file, file->buffer, file->length, file->start);
    // Written or not, what was gathered is gone: after a failure SQLite rolls the transaction back
    // and writes those frames again from its own pages.
    file->length = 0;
    return code;
}

static int logWrite(sqlite3_file *handle, const void *data, int amount, sqlite3_int64 offset) {
    LogFile *file = (LogFile *)handle;
    int code;
    // This write is the page of the commit frame, whose header came last: once it is written, the
    // whole transaction is. (Whatever is written on the way, for room or order, leaves that so.)
    int completesCommit = file->commitPending;
    const unsigned char *bytes = data;
    file->commitPending = amount == FRAME_HEADER_BYTES && (bytes[4] | bytes[5] | bytes[6] | bytes[7]) != 0;
    if (offset != 0 && offset < file->end) {
        // Not the next frame: a frame of this transaction written again in place, or its header with a
        // new checksum (or the log restarted by another connection): written at once, after what was
        // gathered before it.
        if ((code = flush(file)) != SQLITE_OK) return code;
        return writeThrough(file, data, amount, offset);
    }
    // The log's header, or its next frame: where this connection left the log, or further on, where
    // another connection left it.
    if (file->length > 0 && (offset != file->start + file->length || file->length + amount > BUFFER_CAPACITY)) {
        if ((code = flush(file)) != SQLITE_OK) return code;
    }
    file->end = offset + amount;
    if (amount > BUFFER_CAPACITY) return writeThrough(file, data, amount, offset);
    if (file->buffer == NULL && (file->buffer = malloc(BUFFER_CAPACITY)) == NULL) return SQLITE_IOERR_NOMEM;
    if (file->length == 0) file->start = offset;
    memcpy(file->buffer + file->length, data, (size_t)amount);
    file->length += amount;
    return completesCommit ? flush(file) : SQLITE_OK;
}

static int logClose(sqlite3_file *handle) {
    LogFile *file = (LogFile *)handle;
    int flushed = flush(file);
    if (file->database != NULL) file->database->log = NULL;
    int closed = REAL(file)->pMethods->xClose(REAL(file));
    free(file->buffer);
    file->buffer = NULL;
    return flushed != SQLITE_OK ? flushed : closed;
}

// Everything else is the default VFS's, after what is gathered is written.
#define FLUSH_FIRST(handle)                                         \
    LogFile *file = (LogFile *)(handle);                            \
    do {                                                            \
        int flushCode = flush(file);                                \
        if (flushCode != SQLITE_OK) return flushCode;               \
    } while (0)

static int logRead(sqlite3_file *handle, void *data, int amount, sqlite3_int64 offset) {
    FLUSH_FIRST(handle);
    return forwardRead(handle, data, amount, offset);
}

static int logTruncate(sqlite3_file *handle, sqlite3_int64 size) {
    FLUSH_FIRST(handle);
    return forwardTruncate(handle, size);
}

static int logSync(sqlite3_file *handle, int flags) {
    FLUSH_FIRST(handle);
    return forwardSync(handle, flags);
}

static int logFileSize(sqlite3_file *handle, sqlite3_int64 *size) {
    FLUSH_FIRST(handle);
    return forwardFileSize(handle, size);
}

static int logFileControl(sqlite3_file *handle, int op, void *argument) {
    FLUSH_FIRST(handle);
    return forwardFileControl(handle, op, argument);
}

// A log is never mapped nor given shared memory (those are the database file's); version 1 says so.
static const sqlite3_io_methods logMethods = {
    1, logClose, logRead, logWrite, logTruncate, logSync, logFileSize, forwardLock, forwardUnlock, forwardCheckReservedLock,
    logFileControl, forwardSectorSize, forwardDeviceCharacteristics, NULL, NULL, NULL, NULL, NULL, NULL,
};

// The database file: the default VFS's in every method (forwarded); its close unpairs it, and the
// log's write lock also drops what its
// log still gathers (a transaction rolled back after it spilled).
static int databaseClose(sqlite3_file *handle) {
    DatabaseFile *file = (DatabaseFile *)handle;
    pthread_mutex_lock(&openDatabasesLock);
    for (DatabaseFile **link = &openDatabases; *link != NULL; link = &(*link)->next) {
        if (*link == file) {
            *link = file->next;
            break;
        }
    }
    pthread_mutex_unlock(&openDatabasesLock);
    if (file->log != NULL) file->log->database = NULL;
    return REAL(file)->pMethods->xClose(REAL(file));
}

static int databaseShmLock(sqlite3_file *handle, int offset, int n, int flags) {
    DatabaseFile *file = (DatabaseFile *)handle;
    if (offset == WAL_WRITE_LOCK && flags == (SQLITE_SHM_UNLOCK | SQLITE_SHM_EXCLUSIVE) && file->log != NULL) {
        // A committed transaction left nothing gathered; what is left belongs to one rolled back.
        file->log->length = 0;
        file->log->commitPending = 0;
    }
    return REAL(file)->pMethods->xShmLock(REAL(file), offset, n, flags);
}

static const sqlite3_io_methods databaseMethods = {
    3, databaseClose, forwardRead, forwardWrite, forwardTruncate, forwardSync, forwardFileSize, forwardLock, forwardUnlock,
    forwardCheckReservedLock, forwardFileControl, forwardSectorSize, forwardDeviceCharacteristics, forwardShmMap,
    databaseShmLock, forwardShmBarrier, forwardShmUnmap, forwardFetch, forwardUnfetch,
};

static int bufferOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *handle, int flags, int *outFlags) {
    (void)vfs;
    int log = (flags & SQLITE_OPEN_WAL) != 0;
    // Any other file but the main database is the default VFS's file, unwrapped, in the space SQLite gave.
    if (!log && (flags & SQLITE_OPEN_MAIN_DB) == 0) return defaultVFS->xOpen(defaultVFS, name, handle, flags, outFlags);
    // Both wrappers begin alike: the methods, then the default VFS's file, placed after the wrapper.
    size_t wrapper = log ? sizeof(LogFile) : sizeof(DatabaseFile);
    memset(handle, 0, wrapper);
    sqlite3_file *real = (sqlite3_file *)((char *)handle + wrapper);
    int code = defaultVFS->xOpen(defaultVFS, name, real, flags, outFlags);
    if (code != SQLITE_OK) {
        if (real->pMethods != NULL) real->pMethods->xClose(real);
        handle->pMethods = NULL;
        return code;
    }
    if (log) {
        LogFile *file = (LogFile *)handle;
        file->wrapped.real = real;
        const char *database = sqlite3_filename_database(name);
        pthread_mutex_lock(&openDatabasesLock);
        for (DatabaseFile *open = openDatabases; open != NULL; open = open->next) {
            if (open->name == database) {
                open->log = file;
                file->database = open;
                break;
            }
        }
        pthread_mutex_unlock(&openDatabasesLock);
        handle->pMethods = &logMethods;
    } else {
        DatabaseFile *file = (DatabaseFile *)handle;
        file->wrapped.real = real;
        file->name = name;
        pthread_mutex_lock(&openDatabasesLock);
        file->next = openDatabases;
        openDatabases = file;
        pthread_mutex_unlock(&openDatabasesLock);
        handle->pMethods = &databaseMethods;
    }
    return SQLITE_OK;
}

int banshi_wal_buffer_register(void) {
    if (sqlite3_vfs_find(BANSHI_WAL_BUFFER_VFS) != NULL) return SQLITE_OK;
    defaultVFS = sqlite3_vfs_find(NULL);
    if (defaultVFS == NULL) return SQLITE_ERROR;
    // The default VFS's methods, called with this VFS: they read only its fields (the app data), copied.
    bufferVFS = *defaultVFS;
    bufferVFS.zName = BANSHI_WAL_BUFFER_VFS;
    bufferVFS.pNext = NULL;
    size_t wrapper = sizeof(LogFile) > sizeof(DatabaseFile) ? sizeof(LogFile) : sizeof(DatabaseFile);
    bufferVFS.szOsFile = (int)wrapper + defaultVFS->szOsFile;
    bufferVFS.xOpen = bufferOpen;
    return sqlite3_vfs_register(&bufferVFS, 0);
}

long long banshi_wal_buffer_log_writes(void *connection) {
    sqlite3_file *log = NULL;
    if (sqlite3_file_control(connection, "main", SQLITE_FCNTL_JOURNAL_POINTER, &log) != SQLITE_OK) return -1;
    if (log == NULL || log->pMethods != &logMethods) return -1;
    return ((LogFile *)log)->writes;
}
