# Xylem - top-level Makefile.  The one entry point:
#   make          build everything (hypervisor, kernels, host tools, host tests)
#   make run      build, install missing packages, boot the default demo in QEMU
#   make test     build, install missing packages, run every test tier
#   make check    host unit tests only
#   make bench    benchmarks (BENCH lines, build/bench/results.json)
#   make fuzz     libFuzzer targets, each for a bounded time
#   make iso      a GRUB2-bootable ISO of the hypervisor and the default Dom0
#   make clean    remove build/
# Each subsystem lists its objects explicitly in its own *.mk fragment.

BUILD      := build
HOST_CC    ?= cc
KCC        := gcc

WARN       := -Wall -Wextra -Werror -Wmissing-prototypes -Wshadow
HOST_CFLAGS := -std=gnu11 -O2 -g $(WARN) -Iinclude -Ivfr -Ivfr/env/host -Itests/host

# Hypervisor and PV kernels: 32-bit, freestanding, no libc, no PIC.
KCFLAGS    := -std=gnu11 -m32 -march=i686 -ffreestanding -fno-pic -fno-pie \
	      -fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin \
	      -nostdlib -O2 -g $(WARN) -Iinclude
KLDFLAGS   := -m elf_i386 -nostdlib -z noexecstack --no-warn-rwx-segments

.PHONY: all clean check test run iso bench fuzz deps
all:

include hyp/hyp.mk
include guest/guest.mk
include dom0/dom0.mk
include domu/domu.mk
include tests/tests.mk
include $(sort $(wildcard vfr/*.mk))
include $(sort $(wildcard tools/*/*.mk))

HOST_HDRS := $(wildcard include/public/*.h vfr/*.h vfr/env/host/*.h tests/host/*.h hyp/*.h tools/*/*.h)

# A host test is a program built from $(name_SRCS), linked with $(name_LDLIBS).
define host_test_rule
$(BUILD)/host/$(1): $$($(1)_SRCS) $$(HOST_HDRS)
	@mkdir -p $$(@D)
	$$(HOST_CC) $$(HOST_CFLAGS) $$($(1)_CFLAGS) -o $$@ $$($(1)_SRCS) $$($(1)_LDLIBS)
endef
$(foreach t,$(HOST_TESTS),$(eval $(call host_test_rule,$(t))))
HOST_TEST_BINS := $(addprefix $(BUILD)/host/,$(HOST_TESTS))
# Host tests that are shell scripts, run in place (they check the tree's
# scripts and Makefiles, not compiled code).
HOST_TEST_SCRIPTS := tests/host/test_make_run.sh

all: $(HOST_TEST_BINS)

# A fuzz target is a libFuzzer program built from $(name_SRCS) with clang.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 20
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-Iinclude -Ivfr -Ivfr/env/host
define fuzz_rule
$(BUILD)/fuzz/$(1): $$($(1)_SRCS) $$(HOST_HDRS)
	@mkdir -p $$(@D)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) -o $$@ $$($(1)_SRCS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))
FUZZ_BINS := $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))

fuzz: deps $(FUZZ_BINS)
	@scripts/run-tests.sh --fuzz $(FUZZ_SECONDS) $(FUZZ_BINS)

# Benchmarks: each entry of BENCH_TARGETS is a make target that prints
# "BENCH <name> <value> <unit>" lines; scripts/bench-collect.sh gathers them
# into build/bench/results.json.
bench: deps
	@mkdir -p $(BUILD)/bench
	@$(MAKE) --no-print-directory $(BENCH_TARGETS) | tee $(BUILD)/bench/bench.log
	@scripts/bench-collect.sh $(BUILD)/bench/bench.log $(BUILD)/bench/results.json

deps:
	@scripts/deps.sh

check: $(HOST_TEST_BINS)
	@scripts/run-tests.sh --host $(HOST_TEST_BINS) $(HOST_TEST_SCRIPTS)

# make test: every tier, plus each fuzz target for TEST_FUZZ_SECONDS.  Some
# QEMU tests boot kernels from Debian 13 and unstable, which debian-kernels.sh
# fetches (without them, or offline, only those tests fail).  mach13_domu
# expects this GNU Mach build exactly; GRUB is whatever trixie has.
TRIXIE_KERNELS := gnumach-image-1.8-xen-486=2:1.8+git20250702-1 grub-xen-host
TEST_FUZZ_SECONDS ?= 5
test: deps
	@scripts/debian-kernels.sh --out $(BUILD)/third-party $(TRIXIE_KERNELS) || \
		echo "make test: Debian 13 kernels not fetched: their tests will fail" >&2
	@scripts/debian-kernels.sh --out $(BUILD)/third-party --suite sid \
		gnumach-image-1.8-xen-486 || \
		echo "make test: unstable's GNU Mach not fetched: its test will fail" >&2
	@$(MAKE) --no-print-directory all $(FUZZ_BINS)
	@scripts/run-tests.sh --host $(HOST_TEST_BINS) $(HOST_TEST_SCRIPTS) \
		--fuzz $(TEST_FUZZ_SECONDS) $(FUZZ_BINS) --qemu tests/kern/tests.list

clean:
	rm -rf $(BUILD)
