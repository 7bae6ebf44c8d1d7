/*
 * csum.h - the Internet checksum (RFC 1071) for building and checking
 * IPv4, TCP, UDP, ICMP and ICMPv6 headers.
 *
 * Interface: a running 32-bit sum is built with vfr_csum_add() over any
 * number of byte ranges (and vfr_csum_pseudo() for the TCP/UDP/ICMPv6
 * pseudo-header), then vfr_csum_finish() folds it and returns the one's
 * complement, ready to be stored big-endian in the header's checksum field.
 * Bytes are taken as big-endian 16-bit words, so the result does not depend
 * on the host's byte order.  Invariant: every range passed to
 * vfr_csum_add() except the last must have an even length (an odd range
 * pads its last byte with zero, which is only right at the very end).
 * A finished checksum over data that already holds a correct checksum
 * field is 0.
 */
#ifndef VFR_CSUM_H
#define VFR_CSUM_H

#include "vfr_types.h"

/* Add data[0..len) to the running sum; returns the new sum. */
uint32_t vfr_csum_add(uint32_t sum, const void *data, size_t len);

/* Add the IPv4/IPv6 pseudo-header of an upper-layer packet of l4_len bytes. */
uint32_t vfr_csum_pseudo(uint32_t sum, const struct vfr_ip *src,
			 const struct vfr_ip *dst, uint8_t proto,
			 uint32_t l4_len);

/* Fold the sum to 16 bits and complement it. */
uint16_t vfr_csum_finish(uint32_t sum);

#endif
