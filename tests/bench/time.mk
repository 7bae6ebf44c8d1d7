# tests/bench/time.mk - `make bench-time`: how punctual guest timers are
# and what arming one costs.  tests/bench/bench_time.c is a PV kernel
# booted as Dom0; it compares one-shot timers waited for with
# SCHEDOP_block against spinning on the clock to the same deadlines (the
# reference), measures the 10 ms periodic timer's worst interval, and
# times set_timer_op against the cheapest hypercall.  It boots twice: as
# the hypervisor runs by default (the APIC's one-shot timer) and with
# `lapic_timer=off` (timers polled by the 1 kHz tick, the simpler design),
# whose one-shot figures are printed as timer_tick_oneshot_late_*, with
# the ratio of the two medians.  Its BENCH lines go to stdout.  The target
# fails unless each boot ends with the poweroff exit code (33), printed no
# "bench: error" line and printed every figure.
# XYLEM_ACCEL=kvm runs under KVM; under TCG (the default) the lateness
# figures include the host's scheduling noise and only the cycle ratio
# means something; time_bench_kvm says which.

BENCH_TIME_ELF := $(BUILD)/tests/bench/bench_time.elf
BENCH_TIME_LOG := $(BUILD)/bench/time.log
BENCH_TIME_TICK_LOG := $(BUILD)/bench/time-tick.log
BENCH_TIME_FIGURES := timer_oneshot_late_median_us timer_oneshot_late_p90_us \
	timer_oneshot_late_max_us timer_spin_late_median_us \
	timer_periodic_dev_max_us set_timer_op_cycles null_hypercall_cycles \
	set_timer_op_over_null

$(BUILD)/tests/bench/bench_time.c.o: tests/bench/bench_time.c tests/bench/benchlib.h \
		$(GUEST_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -c $< -o $@

$(BENCH_TIME_ELF): $(BUILD)/tests/bench/bench_time.c.o $(GUEST_OBJS) guest/guest.lds
	$(call link_guest,$@,$<)

all: $(BENCH_TIME_ELF)

.PHONY: bench-time
BENCH_TARGETS += bench-time

# One boot checked: $(1) the log, $(2) the hypervisor's command line.
define bench_time_boot
	scripts/qemu-run.sh --log $(1) --timeout 300 --append "$(2)" \
		"$(BENCH_TIME_ELF) accel=$${XYLEM_ACCEL:-tcg}" \
		> /dev/null 2>&1; rc=$$?; \
	if [ $$rc -ne 33 ] || grep -q '^(d0) bench: error' $(1); then \
		grep '^(d0) bench: error' $(1) >&2; \
		echo "bench-time: boot ended with QEMU exit $$rc, see $(1)" >&2; \
		exit 1; \
	fi; \
	for f in $(BENCH_TIME_FIGURES); do \
		grep -q "^(d0) BENCH $$f " $(1) || \
		{ echo "bench-time: no $$f figure, see $(1)" >&2; exit 1; }; \
	done
endef

bench-time: $(BUILD)/hyp/xylem.elf $(BENCH_TIME_ELF)
	@mkdir -p $(BUILD)/bench
	@$(call bench_time_boot,$(BENCH_TIME_LOG),)
	@$(call bench_time_boot,$(BENCH_TIME_TICK_LOG),lapic_timer=off)
	@sed -n 's/^(d0) \(BENCH .*\)/\1/p' $(BENCH_TIME_LOG)
	@sed -n 's/^(d0) BENCH timer_oneshot_late_\([a-z0-9]*\)_us \(.*\)/BENCH timer_tick_oneshot_late_\1_us \2/p' \
		$(BENCH_TIME_TICK_LOG)
	@awk '/^\(d0\) BENCH timer_oneshot_late_median_us / { v[FILENAME] = $$4 } \
	     END { a = v["$(BENCH_TIME_LOG)"]; t = v["$(BENCH_TIME_TICK_LOG)"]; \
		   printf "BENCH timer_oneshot_late_median_over_tick %.2f ratio\n", \
			  (t > 0 ? a / t : 0) }' $(BENCH_TIME_LOG) $(BENCH_TIME_TICK_LOG)
