/*
 * cb_vfr.h - ClassBench rules and headers as the VFR's rules and packets.
 *
 * cb_vfr_rule() turns a ClassBench rule into a struct vfr_rule that matches
 * exactly the same IPv4 packets: family IPv4; a source/destination prefix
 * when its length is non-zero; the protocol when its mask is 0xFF; a port
 * range when it is narrower than 0:65535; verdict accept.  A rule that
 * restricts ports without naming TCP or UDP has no VFR equivalent (the VFR
 * matches ports only on TCP/UDP packets): it returns -1 with *why set.
 *
 * cb_vfr_pkt() fills a struct vfr_pkt directly, as vfr_packet_parse() would
 * for an unfragmented IPv4 packet with that header: ports (has_ports) only
 * for TCP and UDP.  The packet has no frame bytes (frame NULL, len 0).
 */
#ifndef CB_VFR_H
#define CB_VFR_H

#include "classbench.h"
#include "rule.h"

int cb_vfr_rule(const struct cb_rule *cb, struct vfr_rule *rule,
		const char **why);
void cb_vfr_pkt(const struct cb_header *hdr, struct vfr_pkt *pkt);

#endif
