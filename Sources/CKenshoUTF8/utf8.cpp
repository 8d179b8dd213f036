#include "kensho_utf8.h"

#include <simdjson.h>

bool kensho_utf8_is_valid(const char *bytes, size_t count) {
    return simdjson::validate_utf8(bytes, count);
}
