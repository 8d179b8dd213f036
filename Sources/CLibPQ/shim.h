#ifndef KENSHO_CLIBPQ_SHIM_H
#define KENSHO_CLIBPQ_SHIM_H

/* PostgreSQL's own client library (Debian libpq-dev): connections, COPY, cancellation. */
#include <libpq-fe.h>

#endif
