# domu/tests.mk: the test DomU kernels of issue 4 (burn, sleeper, crasher,
# pingpong, latency, yielder; each links domu/options.c and domu/report.c),
# the multi-domain test Dom0s (tests/kern/test_sched_share.c, ...), the
# scale test, and the domain benchmark `make bench-dom`.  Included from the
# end of tests/tests.mk.  See docs/testing.md, "Multi-domain tests".

DOMU_TESTS := burn sleeper crasher pingpong latency yielder
DOMU_TEST_ELFS := $(patsubst %,$(BUILD)/domu/%.elf,$(DOMU_TESTS))
DOMU_LIB_OBJS := $(BUILD)/domu/options.c.o $(BUILD)/domu/report.c.o
DOMU_TEST_HDRS := domu/options.h domu/report.h

$(patsubst %,$(BUILD)/domu/%.c.o,$(DOMU_TESTS)) $(DOMU_LIB_OBJS): $(DOMU_TEST_HDRS)

$(DOMU_TEST_ELFS): $(BUILD)/domu/%.elf: $(BUILD)/domu/%.c.o $(DOMU_LIB_OBJS) \
		$(GUEST_OBJS) guest/guest.lds
	$(call link_guest,$@,$< $(DOMU_LIB_OBJS))

# Test Dom0s: the builder and console service plus tests/kern/multidom.c.
MD_KTESTS := test_sched_share test_sched_warp test_evt_pingpong test_iso test_scale
MD_KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(MD_KTESTS))
MD_OBJS := $(BUILD)/tests/kern/multidom.c.o $(BUILD)/domu/options.c.o
MD_HDRS := tests/kern/multidom.h tests/kern/ktest.h $(DOMU_TEST_HDRS) \
	   $(GUEST_HDRS) $(DOM0_HDRS)
MD_CFLAGS := $(GUEST_CFLAGS) -Idom0 -Itests/kern -Idomu

$(patsubst %,$(BUILD)/tests/kern/%.c.o,$(MD_KTESTS) multidom) \
$(BUILD)/tests/bench/dom_bench.c.o: $(BUILD)/%.c.o: %.c $(MD_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(MD_CFLAGS) -c $< -o $@

$(MD_KTEST_ELFS): $(BUILD)/tests/kern/%.elf: $(BUILD)/tests/kern/%.c.o \
		$(MD_OBJS) $(DOM0_LIB_OBJS) $(GUEST_OBJS) guest/guest.lds
	$(call link_guest,$@,$< $(MD_OBJS) $(DOM0_LIB_OBJS))

all: $(DOMU_TEST_ELFS) $(MD_KTEST_ELFS)

# The scale test (100 concurrent 4 MiB DomUs) is in tests/kern/tests.list
# with its own QEMU memory and timeout (@mem=640@timeout=150).

# The domain benchmark (issue 4): tests/bench/dom_bench.c booted once with
# QEMU -m 4096 (for max_domains_4gib); its BENCH lines go to stdout.
# XYLEM_ACCEL=kvm runs under KVM; under TCG the cycle counts are QEMU's.
# BENCH_DOM_ARGS=max=0 skips the max-domains part.
BENCH_DOM_ELF := $(BUILD)/tests/bench/dom_bench.elf
BENCH_DOM_LOG := $(BUILD)/bench/dom.log
BENCH_DOM_ARGS ?=

$(BENCH_DOM_ELF): $(BUILD)/tests/bench/dom_bench.c.o $(MD_OBJS) $(DOM0_LIB_OBJS) \
		$(GUEST_OBJS) guest/guest.lds
	$(call link_guest,$@,$< $(MD_OBJS) $(DOM0_LIB_OBJS))

all: $(BENCH_DOM_ELF)

.PHONY: bench-dom
BENCH_TARGETS += bench-dom

bench-dom: $(BUILD)/hyp/xylem.elf $(BENCH_DOM_ELF) $(BUILD)/domu/pingpong.elf \
		$(BUILD)/domu/yielder.elf $(BUILD)/domu/sleeper.elf
	@mkdir -p $(BUILD)/bench
	@scripts/qemu-run.sh --mem 4096 --log $(BENCH_DOM_LOG) --timeout 900 \
		"$(BENCH_DOM_ELF) $(BENCH_DOM_ARGS)" $(BUILD)/domu/pingpong.elf \
		$(BUILD)/domu/yielder.elf $(BUILD)/domu/sleeper.elf > /dev/null 2>&1; \
	rc=$$?; if [ $$rc -ne 33 ] || ! grep -q "Test result: SUCCESS" $(BENCH_DOM_LOG); then \
		echo "bench-dom: QEMU exit $$rc, see $(BENCH_DOM_LOG)" >&2; exit 1; fi
	@sed -n 's/^(d0) \(BENCH .*\)/\1/p' $(BENCH_DOM_LOG)
