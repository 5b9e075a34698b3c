#ifndef BANSHI_CSQLITE_SHIM_H
#define BANSHI_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
