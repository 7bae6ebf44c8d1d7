# vfr/bench.mk - `make bench-vfr`: the classifier benchmark.
#
# 1. tools/classbench/fetch-dpdk.sh downloads Debian's rte_acl packages
#    (apt-get download) and unpacks them under build/bench/dpdk (dpkg-deb -x);
#    nothing is installed system-wide.  If that fails, the benchmark is built
#    with cb_rteacl_absent.c and prints no rteacl figures (reason on stderr).
# 2. cbgen writes deterministic ClassBench rule sets and traces
#    (acl- and fw-like, 100 / 1,000 / 10,000 rules) to build/bench/classbench.
# 3. bench_vfr runs the VFR classifier, its linear scan and rte_acl on each
#    set, checks they agree packet by packet and prints BENCH lines.
# Also here: the host test of the ClassBench reader and of the translation
# of ClassBench rules into VFR rules.

CB_SRC_DIR   := tools/classbench
CB_DIR       := $(BUILD)/bench/classbench
CB_DPDK      := $(BUILD)/bench/dpdk
CB_DPDK_ROOT := $(abspath $(CB_DPDK))/root
CB_DPDK_LIB  := $(CB_DPDK_ROOT)/usr/lib/x86_64-linux-gnu
CB_SETS      := acl_100 acl_1000 acl_10000 fw_100 fw_1000 fw_10000
CB_PACKETS   := 20000
CB_RUNS      ?= 5
CB_CFLAGS    := $(HOST_CFLAGS) -I$(CB_SRC_DIR)
CB_HDRS      := $(wildcard $(CB_SRC_DIR)/*.h vfr/*.h vfr/env/host/*.h)
CB_VFR_SRCS  := vfr/classify.c vfr/rule.c vfr/prefix.c

CB_BENCH_SRCS := tests/bench/bench_vfr.c $(CB_SRC_DIR)/classbench.c \
		 $(CB_SRC_DIR)/cb_vfr.c $(CB_VFR_SRCS)

# With DPDK unpacked: its headers as system headers (not our warnings),
# its libraries found through an RPATH (DT_RPATH also serves librte_eal's
# own dependencies librte_kvargs and librte_telemetry).
ifneq ($(wildcard $(CB_DPDK)/.complete),)
CB_ACL_SRC    := $(CB_SRC_DIR)/cb_rteacl.c
CB_ACL_CFLAGS := -isystem $(CB_DPDK_ROOT)/usr/include/dpdk \
		 -isystem $(CB_DPDK_ROOT)/usr/include/x86_64-linux-gnu/dpdk \
		 -isystem $(CB_DPDK_ROOT)/usr/include
CB_ACL_LIBS   := -L$(CB_DPDK_LIB) -Wl,--disable-new-dtags,-rpath,$(CB_DPDK_LIB) \
		 -lrte_acl -lrte_eal
else
CB_ACL_SRC    := $(CB_SRC_DIR)/cb_rteacl_absent.c
endif

.PHONY: bench-vfr cb-dpdk
BENCH_TARGETS += bench-vfr

bench-vfr:
	@$(MAKE) --no-print-directory cb-dpdk
	@$(MAKE) --no-print-directory $(BUILD)/bench/bench_vfr $(CB_DIR)/.stamp
	@$(BUILD)/bench/bench_vfr -r $(CB_RUNS) $(CB_DIR) $(CB_SETS)

cb-dpdk:
	@$(CB_SRC_DIR)/fetch-dpdk.sh $(CB_DPDK) || \
		echo "bench-vfr: rte_acl unavailable, no rteacl figures" >&2

$(BUILD)/bench/cbgen: $(CB_SRC_DIR)/cbgen.c $(CB_SRC_DIR)/classbench.c $(CB_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(CB_CFLAGS) -o $@ $(CB_SRC_DIR)/cbgen.c $(CB_SRC_DIR)/classbench.c

# Seeds are fixed: the same files on every machine.
$(CB_DIR)/.stamp: $(BUILD)/bench/cbgen vfr/bench.mk
	@mkdir -p $(CB_DIR)
	@for set in $(CB_SETS); do \
		kind=$${set%_*}; n=$${set#*_}; \
		$(BUILD)/bench/cbgen $$kind $$n $(CB_PACKETS) $$((n * 10 + 7)) \
			$(CB_DIR)/$$set.rules $(CB_DIR)/$$set.trace || exit 1; \
	done
	@touch $@

$(BUILD)/bench/bench_vfr: $(CB_BENCH_SRCS) $(CB_ACL_SRC) $(CB_HDRS) vfr/bench.mk \
			  $(wildcard $(CB_DPDK)/.complete)
	@mkdir -p $(@D)/obj
	$(HOST_CC) $(CB_CFLAGS) $(CB_ACL_CFLAGS) -c -o $(@D)/obj/cb_rteacl.o $(CB_ACL_SRC)
	$(HOST_CC) $(CB_CFLAGS) -o $@ $(CB_BENCH_SRCS) $(@D)/obj/cb_rteacl.o $(CB_ACL_LIBS)

HOST_TESTS += test_classbench
test_classbench_SRCS := tests/bench/test_classbench.c $(CB_SRC_DIR)/classbench.c \
			$(CB_SRC_DIR)/cb_vfr.c $(CB_VFR_SRCS)
test_classbench_CFLAGS := -I$(CB_SRC_DIR) -fsanitize=address,undefined \
			  -fno-sanitize-recover=all
