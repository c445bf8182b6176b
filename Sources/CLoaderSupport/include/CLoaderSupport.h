// What the CSV loader needs from C: a byte search Swift cannot express at full speed (64
// bytes compared with four values and the results gathered into a bit mask; SSE2's movemask
// has no Swift spelling), and glibc's malloc_trim and mallopt, which Swift's Glibc module does
// not export.
// Static inline, so the Swift optimiser inlines them.
#ifndef CLOADERSUPPORT_H
#define CLOADERSUPPORT_H

#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/// Bit k is set where byte k of the 64 bytes at p is a comma, a double quote, CR or LF.
static inline uint64_t iql_csv_special_bytes64(const void *p) {
    const uint8_t *bytes = (const uint8_t *)p;
    uint64_t out = 0;
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
    const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + 16 * k));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
        out |= (uint64_t)(uint16_t)_mm_movemask_epi8(m) << (16 * k);
    }
#else
    for (int k = 0; k < 64; k++) {
        uint8_t c = bytes[k];
        out |= (uint64_t)(c == ',' || c == '"' || c == '\r' || c == '\n') << k;
    }
#endif
    return out;
}

/// Hands memory the allocator holds free back to the system. glibc keeps large blocks freed
/// by a worker thread in that thread's arena, so without this the half of a table freed while
/// the halves are joined would still count as the process's memory. A no-op elsewhere.
static inline void iql_release_free_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

/// Makes glibc's malloc serve blocks up to `largest` bytes from its heap and keep up to
/// `kept` bytes freed at the heap's top for reuse, instead of mapping each block of more than
/// 32 MB afresh and unmapping it when freed (on a virtual machine each page of a fresh
/// mapping costs a fault and a clear, every time). One arena for every thread: a worker
/// thread's arena is a 64 MB heap, so its larger blocks were mapped afresh each time, and
/// what it freed went back to the system. Process-wide; a no-op elsewhere.
static inline void iql_keep_freed_memory(size_t largest, size_t kept) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, (int)largest);
    mallopt(M_TRIM_THRESHOLD, (int)kept);
    mallopt(M_ARENA_MAX, 1);
#endif
}

/// Starts guarding a mapped region: while guarded, a read past the end of a file that was
/// truncated under the mapping reads zeros instead of raising SIGBUS, and the fault is
/// recorded. Returns a slot for iql_guard_end, or -1 when no guard could be set (64 at once).
/// The SIGBUS handler is installed only while some region is guarded, and faults outside the
/// guarded regions go to whatever handler the process had.
int iql_guard_begin(const void *base, size_t length);

/// Stops guarding; returns 1 if a read faulted (the file shrank while it was read), else 0.
int iql_guard_end(int slot);

#endif
