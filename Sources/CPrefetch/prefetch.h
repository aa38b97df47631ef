#ifndef RESONANCE_PREFETCH_H
#define RESONANCE_PREFETCH_H

/* The one CPU instruction Swift cannot express: a hint to fetch a cache line that a later access
   will need, without waiting for it. Inlined into the Swift caller. */
static inline __attribute__((always_inline)) void resonance_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
