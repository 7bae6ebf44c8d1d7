/*
 * vfr_env.h (host world) - the environment the freestanding VFR code needs.
 *
 * vfr/ includes nothing but this header (plus its own headers).  Each world
 * that builds vfr/ supplies one implementation of it: this one for host unit
 * tests, fuzzers and benchmarks (backed by libc); Dom0's lives with Dom0.
 * Interface: fixed-width integer types, bool, size_t, and
 * memcpy/memset/memcmp/memmove.  Nothing here may allocate or do I/O.
 */
#ifndef VFR_ENV_H
#define VFR_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#endif
