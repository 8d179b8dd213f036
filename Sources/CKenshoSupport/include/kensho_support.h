#ifndef KENSHO_SUPPORT_H
#define KENSHO_SUPPORT_H

/* What Swift cannot say itself. */

/* A hint to start loading the cache line at `address` for reading, without waiting for
   it (a plain load would hold up the instructions after it until memory answers). Hash
   tables larger than the cache use it a few rows ahead of their probes, so the misses
   of several rows overlap instead of queueing one after another. Never faults. */
static inline void kensho_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
