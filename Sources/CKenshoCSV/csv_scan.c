#include "kensho_csv.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define KENSHO_NULL_CELL 0xFFFFFFFFu
#define KENSHO_PACK_LIMIT 0xFFFFu

/* The first byte at or after `i` equal to `a`, `b` or `c`, or `end` when none is. */
static inline size_t find_any3(const uint8_t *bytes, size_t i, size_t end, uint8_t a, uint8_t b, uint8_t c) {
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b), vc = _mm_set1_epi8((char)c);
    while (i + 16 <= end) {
        const __m128i x = _mm_loadu_si128((const __m128i *)(bytes + i));
        const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)), _mm_cmpeq_epi8(x, vc));
        const unsigned mask = (unsigned)_mm_movemask_epi8(hit);
        if (mask != 0) return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
#endif
    while (i < end) {
        const uint8_t x = bytes[i];
        if (x == a || x == b || x == c) return i;
        i += 1;
    }
    return end;
}

/* The first byte at or after `i` equal to `a`, or `end`. */
static inline size_t find_byte(const uint8_t *bytes, size_t i, size_t end, uint8_t a) {
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a);
    while (i + 16 <= end) {
        const __m128i x = _mm_loadu_si128((const __m128i *)(bytes + i));
        const unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, va));
        if (mask != 0) return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
#endif
    while (i < end && bytes[i] != a) i += 1;
    return i;
}

/* Reads one record at `start` into `row`; returns the position after its line end, or
   0 when the record is not a plain one (nothing it wrote counts: the caller does not
   advance `row`). `*line_breaks` gets the line breaks inside its quoted fields. */
static inline size_t read_plain_record(const kensho_csv_run *run, size_t start, size_t row, int32_t *line_breaks) {
    const uint8_t *bytes = run->bytes;
    const size_t end = run->end;
    const uint8_t delimiter = run->delimiter, quote = run->quote;
    const uint8_t first = bytes[start];
    if (first == '\n' || first == '\r') return 0;
    int32_t breaks = 0;
    size_t position = start;
    for (uint32_t field = 0;; field += 1) {
        if (field >= run->column_count) return 0;
        uint32_t cell;
        size_t after;
        if (bytes[position] == quote) {
            const size_t content = position + 1;
            const size_t closing = find_byte(bytes, content, end, quote);
            /* Unclosed, or closed at the part's end: the Swift loop's. */
            if (closing + 1 >= end) return 0;
            for (size_t i = content; i < closing; i += 1) {
                if (bytes[i] == '\n') breaks += 1;
                else if (bytes[i] == '\r') return 0;
            }
            const size_t offset = content - start, length = closing - content;
            if (offset >= KENSHO_PACK_LIMIT || length > KENSHO_PACK_LIMIT) return 0;
            cell = (uint32_t)(offset << 16 | length);
            after = closing + 1;
            /* Anything else after the closing quote is the Swift loop's: a doubled quote
               (an escaped cell, listed for unescaping) or text after the quote (an issue). */
            const uint8_t next = bytes[after];
            if (next != delimiter && next != '\n' && next != '\r') return 0;
        } else {
            after = find_any3(bytes, position, end, delimiter, '\n', '\r');
            if (after >= end) return 0;
            if (after == position) {
                cell = KENSHO_NULL_CELL;
            } else {
                const size_t offset = position - start, length = after - position;
                if (offset >= KENSHO_PACK_LIMIT || length > KENSHO_PACK_LIMIT) return 0;
                cell = (uint32_t)(offset << 16 | length);
            }
        }
        run->columns[field][row] = cell;
        const uint8_t separator = bytes[after];
        position = after + 1;
        if (separator == delimiter) {
            /* A delimiter as the part's last byte: the empty field after it is the Swift loop's. */
            if (position >= end) return 0;
            continue;
        }
        if (field + 1 != run->column_count) return 0;
        if (separator == '\r' && position < end && bytes[position] == '\n') position += 1;
        *line_breaks = breaks;
        return position;
    }
}

size_t kensho_csv_scan_plain_records(kensho_csv_run *_Nonnull run) {
    size_t position = run->position, row = run->row;
    int32_t line = run->line;
    const size_t first_row = row;
    while (row < run->row_limit && position < run->end) {
        /* Record starts are 32-bit offsets, as everywhere in a table. */
        if (position > UINT32_MAX) break;
        int32_t breaks = 0;
        const size_t next = read_plain_record(run, position, row, &breaks);
        if (next == 0) break;
        run->record_starts[row] = (uint32_t)position;
        run->lines[row] = line;
        line += 1 + breaks;
        position = next;
        row += 1;
    }
    run->position = position;
    run->row = row;
    run->line = line;
    return row - first_row;
}

size_t kensho_count_byte(const uint8_t *_Nullable bytes, size_t count, uint8_t byte) {
    size_t total = 0, i = 0;
    if (bytes == NULL) return 0;
#if defined(__SSE2__)
    const __m128i wanted = _mm_set1_epi8((char)byte), zero = _mm_setzero_si128();
    while (i + 16 <= count) {
        /* Each compare adds 1 (subtracts -1) to a byte's counter: at most 255 rounds
           before the counters are summed into `total`. */
        __m128i counters = zero;
        size_t rounds = 0;
        for (; rounds < 255 && i + 16 <= count; rounds += 1, i += 16) {
            const __m128i x = _mm_loadu_si128((const __m128i *)(bytes + i));
            counters = _mm_sub_epi8(counters, _mm_cmpeq_epi8(x, wanted));
        }
        const __m128i sums = _mm_sad_epu8(counters, zero);
        total += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
    }
#endif
    for (; i < count; i += 1) total += bytes[i] == byte;
    return total;
}
