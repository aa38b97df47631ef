#ifndef RESONANCE_PREFETCH_H
#define RESONANCE_PREFETCH_H

/* The one CPU instruction Swift cannot express: a hint to fetch a cache line that a later access
   will need, into every cache level, without waiting for it. Inlined into the Swift caller. A
   null address is allowed (a prefetch never faults). */
static inline __attribute__((always_inline)) void resonance_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
