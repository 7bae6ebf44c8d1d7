# vfr/sched.mk - capture filters (classic BPF), capture taps and the
# transmit scheduler: host tests and the BPF fuzz target.

HOST_TESTS += test_vfr_bpf
test_vfr_bpf_SRCS := tests/host/test_vfr_bpf.c vfr/bpf.c
test_vfr_bpf_LDLIBS := -lpcap

FUZZ_TARGETS += fuzz_vfr_bpf
fuzz_vfr_bpf_SRCS := tests/fuzz/fuzz_vfr_bpf.c vfr/bpf.c

HOST_TESTS += test_vfr_txsched
test_vfr_txsched_SRCS := tests/host/test_vfr_txsched.c vfr/txsched.c vfr/rate.c
test_vfr_txsched_LDLIBS := -lm

HOST_TESTS += test_vfr_capture
test_vfr_capture_SRCS := tests/host/test_vfr_capture.c vfr/capture.c vfr/bpf.c
