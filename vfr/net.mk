# vfr/net.mk - the VFR data path: packet parser, VIFs and anti-spoofing,
# forwarding, reject frames, checksums; their host tests and fuzzer.

HOST_TESTS += test_vfr_packet test_vfr_packet_pcap test_vfr_vif \
	      test_vfr_forward test_vfr_reject

# The tests run under AddressSanitizer: a read past a frame's end fails them.
VFR_NET_ASAN := -fsanitize=address,undefined -fno-sanitize-recover=all

test_vfr_packet_SRCS := tests/host/test_vfr_packet.c vfr/packet.c vfr/csum.c
test_vfr_packet_CFLAGS := $(VFR_NET_ASAN)

test_vfr_packet_pcap_SRCS := tests/host/test_vfr_packet_pcap.c vfr/packet.c \
			     vfr/csum.c
test_vfr_packet_pcap_LDLIBS := -lpcap
test_vfr_packet_pcap_CFLAGS := $(VFR_NET_ASAN)

# vif.c names VIFs through rule.c's vfr_vif_name_parse()/vfr_vif_id_make().
VFR_VIF_SRCS := vfr/vif.c vfr/rule.c vfr/prefix.c

test_vfr_vif_SRCS := tests/host/test_vfr_vif.c $(VFR_VIF_SRCS) vfr/packet.c \
		     vfr/csum.c
test_vfr_vif_CFLAGS := $(VFR_NET_ASAN)

test_vfr_forward_SRCS := tests/host/test_vfr_forward.c vfr/forward.c \
			 $(VFR_VIF_SRCS) vfr/packet.c vfr/csum.c
test_vfr_forward_CFLAGS := $(VFR_NET_ASAN)

test_vfr_reject_SRCS := tests/host/test_vfr_reject.c vfr/reject.c \
			vfr/packet.c vfr/csum.c
test_vfr_reject_CFLAGS := $(VFR_NET_ASAN)

FUZZ_TARGETS += fuzz_vfr_packet
fuzz_vfr_packet_SRCS := tests/fuzz/fuzz_vfr_packet.c vfr/packet.c \
			vfr/forward.c vfr/reject.c $(VFR_VIF_SRCS) vfr/csum.c
