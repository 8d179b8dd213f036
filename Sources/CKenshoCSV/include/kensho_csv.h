#ifndef KENSHO_CSV_H
#define KENSHO_CSV_H

#include <stddef.h>
#include <stdint.h>

/* The CSV scanner's fast path: plain records, sixteen bytes compared at a time.

   A run of records is scanned from `position` and written as `CSVScanner`'s Swift loop
   writes them: per column a packed cell (offset from the record's start << 16 | length;
   0xFFFFFFFF for an empty unquoted field), the record's start offset, the record's first
   physical line. It stops, before touching anything of that record's, at the first
   record it does not take, and the Swift loop reads that one (and reports it, where it is
   irregular). It takes only a record that:
     - does not start a blank line;
     - has exactly `column_count` fields, each unquoted, or quoted without a doubled quote,
       without a carriage return inside, and followed at once by the delimiter or the
       line end;
     - ends with LF, CR or CR LF before `end` (a record cut by the end of the part, and
       the part's last record without a line end, are the Swift loop's);
     - packs every cell in 32 bits (no cell starts 65,535 or more bytes into it, none is
       longer than 65,535 bytes).
   Those records read identically by both loops; the fast path exists because Swift
   offers no byte-mask instruction (SSE2's pmovmskb), and a field's end found by
   comparing sixteen bytes at once costs a third of the eight-byte SWAR search. */
typedef struct {
    const uint8_t *_Nonnull bytes;     /* the whole text; cells count from it */
    size_t position;          /* in: the first record's start; out: where the run stopped */
    size_t end;               /* the part's end: no record read here crosses it */
    uint32_t *_Nonnull const *_Nonnull columns; /* column_count cell buffers, indexed by row */
    uint32_t *_Nonnull record_starts;  /* indexed by row */
    int32_t *_Nonnull lines;           /* indexed by row */
    size_t row;               /* in: the first record's row; out: the row after the run */
    size_t row_limit;         /* stop before this row (buffer capacity, checkpoints) */
    int32_t line;             /* in/out: the physical line of the record at `position` */
    uint32_t column_count;
    uint8_t delimiter;
    uint8_t quote;
} kensho_csv_run;

/* Scans plain records as described above; returns how many it took. */
size_t kensho_csv_scan_plain_records(kensho_csv_run *_Nonnull run);

/* How many of the `count` bytes at `bytes` equal `byte`: sixteen compared at a time,
   the matches summed in byte counters. The scanner counts quotes before the middle of
   a large file to find where it can be split (a position is outside quotes exactly
   when an even number of quotes precedes it). */
size_t kensho_count_byte(const uint8_t *_Nullable bytes, size_t count, uint8_t byte);

#endif
