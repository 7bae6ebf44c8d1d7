/*
 * reject.h - the reply the VFR sends for a frame a rule rejects.
 *
 * vfr_reject_build() writes, into a caller buffer, the Ethernet frame that
 * answers a rejected one, as if from its destination:
 *  - TCP (IPv4 or IPv6): a RST per RFC 793's reset generation: if the
 *    segment had ACK, <SEQ=SEG.ACK><CTL=RST>; otherwise
 *    <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (SYN and FIN count in
 *    SEG.LEN);
 *  - any other IPv4: ICMP destination unreachable, port unreachable
 *    (type 3 code 3) quoting the original IP header and 8 bytes;
 *  - any other IPv6: ICMPv6 destination unreachable, port unreachable
 *    (type 1 code 4) quoting as much of the original packet as keeps the
 *    reply within the IPv6 minimum MTU of 1280 bytes.
 * The reply swaps the MAC addresses, keeps any 802.1Q tag as it was, swaps
 * addresses and ports, uses TTL/hop limit 64 and carries correct IPv4,
 * TCP, ICMP and ICMPv6 checksums.
 *
 * No reply is made (RFC 1122 3.2.2, RFC 1812 4.3.2.7, RFC 4443 2.4(e),
 * RFC 793) to: a link-layer broadcast or multicast, a multicast or
 * broadcast destination IP, a source address that is not one host (zero,
 * loopback, multicast, broadcast), an ICMP or ICMPv6 error, a non-first
 * fragment, a TCP RST, anything that is not IP.
 */
#ifndef VFR_REJECT_H
#define VFR_REJECT_H

#include "vfr_types.h"
#include "packet.h"

/* No reply is longer: a tagged Ethernet header and a 1280-byte packet. */
#define VFR_REJECT_MAX_FRAME	(18 + 1280)

/* May a reply be sent for this (successfully parsed) frame? */
bool vfr_reject_allowed(const struct vfr_pkt *pkt);

/*
 * Build the reply to pkt in out[0..cap).  Returns its length in bytes;
 * -VFR_EPERM when no reply may be sent (see above), -VFR_EINVAL when pkt
 * is malformed, -VFR_ENOSPC when cap is too small (VFR_REJECT_MAX_FRAME
 * always suffices).
 */
int vfr_reject_build(const struct vfr_pkt *pkt, uint8_t *out, uint32_t cap);

#endif
