# tests/: host unit tests live in tests/host (declared by each subsystem's
# fragment); PV test kernels live in tests/kern, one behaviour each, listed
# with their expected outcome in tests/kern/tests.list.
KTESTS := test_boot test_enosys test_version test_console test_traps \
	  test_hyp_write test_m2p_write test_shutdown test_bad_stack
KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(KTESTS))

$(BUILD)/tests/kern/%.c.o: tests/kern/%.c tests/kern/ktest.h $(GUEST_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/tests/kern/%.elf: $(BUILD)/tests/kern/%.c.o $(GUEST_OBJS) guest/guest.lds
	$(call link_guest,$@,$<)

# The same test_boot kernel with its notes only in a section (no PT_NOTE).
$(BUILD)/tests/kern/test_boot_secnotes.elf: $(BUILD)/tests/kern/test_boot.c.o \
		$(GUEST_OBJS) tests/kern/secnotes.lds
	$(LD) $(KLDFLAGS) -T tests/kern/secnotes.lds -o $@ $< $(GUEST_OBJS) $(LIBGCC32)

all: $(KTEST_ELFS) $(BUILD)/tests/kern/test_boot_secnotes.elf

# A GRUB2 ISO whose Dom0 runs its self-test: boots through the real loader.
$(BUILD)/tests/grub-test.iso: $(BUILD)/hyp/xylem.elf $(BUILD)/dom0/dom0.elf scripts/mkiso.sh
	scripts/mkiso.sh $@ $(BUILD)/hyp/xylem.elf "loglvl=info" $(BUILD)/dom0/dom0.elf "selftest"

all: $(BUILD)/tests/grub-test.iso

# Page-table and memory hypercall kernels (issue 3).
KTESTS += test_mm_batch test_mm_foreign test_mm_pinned test_mm_hypslots \
	  test_mm_newbase test_mm_uvm test_mm_reservation
KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(KTESTS))
all: $(KTEST_ELFS)
