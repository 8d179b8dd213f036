#ifndef KENSHO_CSQLITE_SHIM_H
#define KENSHO_CSQLITE_SHIM_H

/* The system SQLite (Debian libsqlite3-dev), read through its C API. */
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast macro Swift cannot import. */
static inline sqlite3_destructor_type ce_sqlite_transient(void) { return SQLITE_TRANSIENT; }

#endif
