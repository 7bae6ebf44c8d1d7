# tests/bench/vcpu.mk - `make bench-vcpu`: what a switch between two vCPUs
# of one domain costs.  tests/bench/bench_vcpu.c is a PV kernel booted once
# as Dom0 with the hypervisor option dom0_max_vcpus=2; it starts vCPU 1
# with guest/vcpu.c's vcpu_start() and compares IPI and yield ping-pong
# between the vCPUs with the same operations on vCPU 0 alone, and times
# VCPUOP_up/down.  Its BENCH lines go to stdout.  The target fails unless
# the boot ends with the poweroff exit code (33), printed no "bench:
# error" line and printed every figure.  XYLEM_ACCEL=kvm runs under KVM;
# under TCG (the default) only the ratios mean something, and
# vcpu_bench_kvm says which.

BENCH_VCPU_ELF := $(BUILD)/tests/bench/bench_vcpu.elf
BENCH_VCPU_LOG := $(BUILD)/bench/vcpu.log
BENCH_VCPU_FIGURES := evtchn_self_roundtrip_cycles vcpu_ipi_roundtrip_cycles \
	vcpu_ipi_over_self sched_yield_alone_cycles vcpu_yield_roundtrip_cycles \
	vcpu_yield_over_alone vcpu_up_down_roundtrip_cycles

$(BUILD)/tests/bench/bench_vcpu.c.o: tests/bench/bench_vcpu.c tests/bench/benchlib.h \
		$(GUEST_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -c $< -o $@

$(BENCH_VCPU_ELF): $(BUILD)/tests/bench/bench_vcpu.c.o $(GUEST_OBJS) guest/guest.lds
	$(call link_guest,$@,$<)

all: $(BENCH_VCPU_ELF)

.PHONY: bench-vcpu
BENCH_TARGETS += bench-vcpu

bench-vcpu: $(BUILD)/hyp/xylem.elf $(BENCH_VCPU_ELF)
	@mkdir -p $(BUILD)/bench
	@scripts/qemu-run.sh --log $(BENCH_VCPU_LOG) --timeout 300 \
		--append "dom0_max_vcpus=2" \
		"$(BENCH_VCPU_ELF) accel=$${XYLEM_ACCEL:-tcg}" \
		> /dev/null 2>&1; rc=$$?; \
	if [ $$rc -ne 33 ] || grep -q '^(d0) bench: error' $(BENCH_VCPU_LOG); then \
		grep '^(d0) bench: error' $(BENCH_VCPU_LOG) >&2; \
		echo "bench-vcpu: boot ended with QEMU exit $$rc," \
		     "see $(BENCH_VCPU_LOG)" >&2; exit 1; \
	fi; \
	for f in $(BENCH_VCPU_FIGURES); do \
		grep -q "^(d0) BENCH $$f " $(BENCH_VCPU_LOG) || \
		{ echo "bench-vcpu: no $$f figure, see $(BENCH_VCPU_LOG)" >&2; \
		  exit 1; }; \
	done
	@sed -n 's/^(d0) \(BENCH .*\)/\1/p' $(BENCH_VCPU_LOG)
