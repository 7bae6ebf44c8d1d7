/*
 * types.h - typed frame numbers.  Machine frames (mfn_t) and a guest's
 * pseudo-physical frames (pfn_t) are single-member structs, so passing one
 * where the other is expected does not compile.
 */
#ifndef XYLEM_TYPES_H
#define XYLEM_TYPES_H

#include <stdint.h>

typedef struct { uint32_t m; } mfn_t;
typedef struct { uint32_t p; } pfn_t;
static inline mfn_t _mfn(uint32_t m) { return (mfn_t){ m }; }
static inline uint32_t mfn_x(mfn_t m) { return m.m; }
static inline pfn_t _pfn(uint32_t p) { return (pfn_t){ p }; }
static inline uint32_t pfn_x(pfn_t p) { return p.p; }
#define INVALID_MFN	_mfn(~0u)

#endif
