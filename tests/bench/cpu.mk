# tests/bench/cpu.mk - `make bench-cpu`: the paravirtual CPU benchmark
# (issue 3).  tests/bench/bench_cpu.c is a PV kernel booted twice in QEMU:
# as is ("mode=pv": hypercall, system calls fast and bounced, page-fault
# bounce, mmu_update batching) and with the hypervisor option int80=native
# ("mode=native": int $0x80 handled by a ring-0 iret, the reference), then
# once more as is with isolate=off (docs/architecture.md, isolation) for
# what isolation costs a null hypercall and a page-fault bounce where it is
# on (TCG).  Its BENCH lines go to stdout, with syscall_fastpath_over_native
# and the *_isolate_on_over_off ratios computed from the runs.  XYLEM_ACCEL=kvm runs under KVM; under TCG (the
# default) only the ratios mean something, and cpu_bench_kvm says which.

BENCH_CPU_ELF := $(BUILD)/tests/bench/bench_cpu.elf
BENCH_CPU_LOG := $(BUILD)/bench/cpu

$(BUILD)/tests/bench/bench_cpu.c.o: tests/bench/bench_cpu.c tests/bench/benchlib.h \
		$(GUEST_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -c $< -o $@

$(BENCH_CPU_ELF): $(BUILD)/tests/bench/bench_cpu.c.o $(GUEST_OBJS) guest/guest.lds
	$(call link_guest,$@,$<)

all: $(BENCH_CPU_ELF)

.PHONY: bench-cpu
BENCH_TARGETS += bench-cpu

# One boot: $(1) = mode, $(2) = hypervisor options, $(3) = log name suffix.
define bench_cpu_boot
	scripts/qemu-run.sh --log $(BENCH_CPU_LOG)-$(1)$(3).log --timeout 600 \
		--append "$(2)" "$(BENCH_CPU_ELF) accel=$${XYLEM_ACCEL:-tcg} mode=$(1)" \
		> /dev/null 2>&1; rc=$$?; \
	if [ $$rc -ne 33 ]; then \
		echo "bench-cpu: mode=$(1) boot ended with QEMU exit $$rc," \
		     "see $(BENCH_CPU_LOG)-$(1)$(3).log" >&2; exit 1; \
	fi
endef

bench-cpu: $(BUILD)/hyp/xylem.elf $(BENCH_CPU_ELF)
	@mkdir -p $(BUILD)/bench
	@$(call bench_cpu_boot,pv,)
	@$(call bench_cpu_boot,native,int80=native)
	@sed -n 's/^(d0) \(BENCH .*\)/\1/p' $(BENCH_CPU_LOG)-pv.log
	@sed -n 's/^(d0) \(BENCH native_.*\)/\1/p' $(BENCH_CPU_LOG)-native.log
	@sed -n 's/^(d0) BENCH \(syscall_fastpath\|native_int80\)_cycles \([0-9]*\) .*/\1 \2/p' \
		$(BENCH_CPU_LOG)-pv.log $(BENCH_CPU_LOG)-native.log | \
	awk '{ v[$$1] = $$2 } END { if (v["native_int80"] > 0 && v["syscall_fastpath"] > 0) \
		printf "BENCH syscall_fastpath_over_native %.2f ratio\n", \
		       v["syscall_fastpath"] / v["native_int80"] }'
	@$(call bench_cpu_boot,pv,isolate=off,-isolate-off)
	@sed -n 's/^(d0) BENCH \(hypercall_null\|pagefault_bounce\)_cycles \([0-9]*\) .*/\1 \2/p' \
		$(BENCH_CPU_LOG)-pv.log > $(BUILD)/bench/cpu-isolate-on.txt
	@sed -n 's/^(d0) BENCH \(hypercall_null\|pagefault_bounce\)_cycles \([0-9]*\) .*/\1 \2/p' \
		$(BENCH_CPU_LOG)-pv-isolate-off.log | \
	awk 'NR == FNR { on[$$1] = $$2; next } { \
		printf "BENCH %s_isolate_off_cycles %s cycles\n", $$1, $$2; \
		if ($$2 > 0 && on[$$1] > 0) \
			printf "BENCH %s_isolate_on_over_off %.2f ratio\n", $$1, on[$$1] / $$2 }' \
		$(BUILD)/bench/cpu-isolate-on.txt -
