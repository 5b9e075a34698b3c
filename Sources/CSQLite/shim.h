#ifndef BANSHI_CSQLITE_SHIM_H
#define BANSHI_CSQLITE_SHIM_H
#include <sqlite3.h>

/// Turns off SQLite's memory statistics (it keeps none unless asked; with them on, every allocation
/// of SQLite's takes a process-wide mutex). Only before SQLite is initialised: SQLITE_MISUSE after.
static inline int banshi_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
#endif
