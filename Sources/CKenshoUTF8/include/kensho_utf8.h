#ifndef KENSHO_UTF8_H
#define KENSHO_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Whether `count` bytes at `bytes` are valid UTF-8 (RFC 3629: no overlongs, no
   surrogates, nothing above U+10FFFF), by simdjson's SIMD validator, which picks the
   widest instructions the CPU has at run time. Says only yes or no: where the first
   invalid byte is, Swift's own scan finds (errors are rare; their place must be exact). */
bool kensho_utf8_is_valid(const char *bytes, size_t count);

#ifdef __cplusplus
}
#endif

#endif
