/*
 * fuzz_vfr_packet.c - libFuzzer target for the VFR's frame handling.
 *
 * Every input is one Ethernet frame, copied to a buffer of exactly its size
 * (so AddressSanitizer catches a read past the end).  It goes through what
 * Dom0 does with a frame from a guest: vfr_packet_parse(), anti-spoofing,
 * the forwarding decision, and on success the reject reply, which must
 * itself parse and must never provoke a reply in turn.  Invariants that
 * the parser promises are checked with __builtin_trap().
 */
#include <stdlib.h>
#include "forward.h"
#include "reject.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
	if (!ok)
		__builtin_trap();
}

static void forward_and_spoof(const struct vfr_pkt *pkt)
{
	static struct vfr_vif slots[3];
	static struct vfr_vif_table vifs;
	static struct vfr_fwd_mac_entry macs[8];
	static struct vfr_fwd fwd;
	static bool ready;
	struct vfr_fwd_dest dests[4];
	struct vfr_fwd_decision d = { .dests = dests, .capacity = 4 };
	vfr_vif_id_t id;
	int i;

	if (!ready) {
		vfr_vif_table_init(&vifs, slots, 3);
		vfr_fwd_init(&fwd, &vifs, macs, 8, NULL, 0, 100);
		for (i = 0; i < 3; i++) {
			struct vfr_vif_config c = { .domid = (uint16_t)i };

			c.mac.b[0] = 0x02;
			c.mac.b[5] = (uint8_t)i;
			c.n_addrs = 1;
			c.addrs[0].addr.family = VFR_AF_INET;
			c.addrs[0].addr.b[0] = 10;
			c.addrs[0].len = 8;
			vfr_vif_add(&vifs, &c, &id);
			vfr_fwd_learn_vif(&fwd, id);
		}
		ready = true;
	}
	vfr_vif_source_allowed(&slots[0], pkt);
	vfr_fwd_learn_uplink(&fwd, pkt, 0);
	check(vfr_fwd_decide(&fwd, pkt, 0, 0, &d) == 0);
	check(vfr_fwd_decide(&fwd, pkt, VFR_VIF_UPLINK, 0, &d) == 0);
	for (i = 0; i < d.count; i++)
		check(dests[i].port != VFR_VIF_UPLINK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t reply[VFR_REJECT_MAX_FRAME];
	struct vfr_pkt pkt, again;
	uint8_t *frame;
	int len;

	if (size > 0xffff)
		return 0;
	frame = malloc(size ? size : 1);
	memcpy(frame, data, size);
	if (!vfr_packet_parse(frame, (uint32_t)size, &pkt)) {
		check(pkt.malformed != NULL);
		free(frame);
		return 0;
	}
	check(pkt.malformed == NULL);
	check(pkt.l3_off <= size && pkt.l4_off <= size);
	check(!pkt.has_ports || pkt.is_first_fragment);
	forward_and_spoof(&pkt);
	len = vfr_reject_build(&pkt, reply, sizeof(reply));
	check(len == -VFR_EPERM || (len > 0 && len <= (int)sizeof(reply)));
	if (len > 0) {
		check(vfr_packet_parse(reply, (uint32_t)len, &again));
		check(!vfr_reject_allowed(&again));
	}
	free(frame);
	return 0;
}
