/* CKenshoSupport is header-only (static inline functions); a C target needs a source. */
#include "kensho_support.h"
