# tests/: host unit tests live in tests/host (declared by each subsystem's
# fragment); PV test kernels live in tests/kern, one behaviour each, listed
# with their expected outcome in tests/kern/tests.list.
KTESTS := test_boot test_enosys test_version test_console test_traps \
	  test_hyp_write test_hyp_isolate test_m2p_write test_shutdown \
	  test_bad_stack
KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(KTESTS))

$(BUILD)/tests/kern/%.c.o: tests/kern/%.c tests/kern/ktest.h $(GUEST_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/tests/kern/test_cpu_debugreg.c.o \
$(BUILD)/tests/kern/test_cpu_debugreg_io.c.o: tests/kern/debugreg_test.h

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
	  test_mm_newbase test_mm_uvm test_mm_reservation test_mm_exchange test_mm_vmassist \
	  test_hc_preempt
KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(KTESTS))
all: $(KTEST_ELFS)

# Traps, rings, descriptors and the FPU (issue 3).
KTESTS += test_cpu_iret test_cpu_int80 test_cpu_gdt test_cpu_ptwr \
	  test_cpu_fpu test_cpu_callbacks test_gnttab test_gnttab_map test_multicall \
	  test_cpu_sysenter test_cpu_failsafe test_cpu_debugreg test_cpu_debugreg_io \
	  test_cpu_iopl test_cpu_tsd test_cpu_xsave test_cpu_xsetbv \
	  test_cpu_iobitmap \
	  test_console_reuse test_cpu_ldt
KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(KTESTS))
all: $(KTEST_ELFS)

# An XTF-style kernel: its own head (XTF's ELF notes, no ENTRY/VIRT_BASE,
# notes only in a section) linked with the guest library minus guest/head.S.
XTF_LIKE_OBJS := $(BUILD)/tests/kern/test_xtf_like_entry.S.o \
		 $(BUILD)/tests/kern/test_xtf_like.c.o
XTF_LIKE_GUEST_OBJS = $(filter-out $(BUILD)/guest/head.S.o,$(GUEST_OBJS))

$(BUILD)/tests/kern/test_xtf_like_entry.S.o: tests/kern/test_xtf_like_entry.S \
		include/public/elfnote.h guest/xen_note.h
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/tests/kern/test_xtf_like.elf: $(XTF_LIKE_OBJS) $(XTF_LIKE_GUEST_OBJS) \
		tests/kern/secnotes.lds
	$(LD) $(KLDFLAGS) -T tests/kern/secnotes.lds -o $@ $(XTF_LIKE_OBJS) \
		$(XTF_LIKE_GUEST_OBJS) $(LIBGCC32)

all: $(BUILD)/tests/kern/test_xtf_like.elf

# A kernel that replays an i386 Linux kernel's Dom0 start of day, linked at
# 0xC1000000 with Linux's Xen notes and packed as a Debian vmlinuz is (a
# bzImage, xz payload).  It needs only the string and format helpers.
LINUX_LIKE_OBJS := $(BUILD)/tests/kern/test_linux_like_entry.S.o \
		   $(BUILD)/tests/kern/test_linux_like.c.o \
		   $(BUILD)/tests/kern/test_linux_like_mem.c.o \
		   $(BUILD)/tests/kern/highbase.c.o

$(BUILD)/tests/kern/test_linux_like.c.o \
$(BUILD)/tests/kern/test_linux_like_mem.c.o: tests/kern/linux_like.h
$(BUILD)/tests/kern/test_linux_like.c.o \
$(BUILD)/tests/kern/test_linux_like_mem.c.o \
$(BUILD)/tests/kern/highbase.c.o: tests/kern/highbase.h

$(BUILD)/tests/kern/test_linux_like_entry.S.o: \
		tests/kern/test_linux_like_entry.S include/public/elfnote.h \
		guest/xen_note.h
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/tests/kern/test_linux_like.elf: $(LINUX_LIKE_OBJS) \
		$(BUILD)/guest/lib.c.o tests/kern/linux_like.lds
	$(LD) $(KLDFLAGS) -T tests/kern/linux_like.lds -o $@ \
		$(LINUX_LIKE_OBJS) $(BUILD)/guest/lib.c.o $(LIBGCC32)

$(BUILD)/tests/kern/test_linux_like.bzimage-xz: \
		$(BUILD)/tests/kern/test_linux_like.elf scripts/mkbzimage.py
	python3 scripts/mkbzimage.py --format xz $< $@

all: $(BUILD)/tests/kern/test_linux_like.bzimage-xz

# A kernel that replays NetBSD's i386 XEN3PAE_DOM0 start of day, linked
# from 0xc0100000 with only the legacy __xen_guest string, gzipped as
# NetBSD ships netbsd-XEN3PAE_DOM0.gz.
NETBSD_LIKE_OBJS := $(BUILD)/tests/kern/test_netbsd_like_entry.S.o \
		    $(BUILD)/tests/kern/test_netbsd_like.c.o \
		    $(BUILD)/tests/kern/highbase.c.o

$(BUILD)/tests/kern/test_netbsd_like.c.o: tests/kern/highbase.h

$(BUILD)/tests/kern/test_netbsd_like_entry.S.o: \
		tests/kern/test_netbsd_like_entry.S
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/tests/kern/test_netbsd_like.elf: $(NETBSD_LIKE_OBJS) \
		$(BUILD)/guest/lib.c.o tests/kern/netbsd_like.lds
	$(LD) $(KLDFLAGS) -T tests/kern/netbsd_like.lds -o $@ \
		$(NETBSD_LIKE_OBJS) $(BUILD)/guest/lib.c.o $(LIBGCC32)

$(BUILD)/tests/kern/test_netbsd_like.elf.gz: \
		$(BUILD)/tests/kern/test_netbsd_like.elf scripts/mkbzimage.py
	python3 scripts/mkbzimage.py --raw --format gzip $< $@

all: $(BUILD)/tests/kern/test_netbsd_like.elf.gz

# The paravirtual CPU benchmark kernel and its bench target.
include tests/bench/cpu.mk
include tests/bench/vcpu.mk
include tests/bench/time.mk

# Event channels, time and timers, single domain (issue 4).
KTESTS += test_evt_loopback test_evt_masked test_evt_errors \
	  test_time_clock test_time_timer test_time_precise test_time_runstate \
	  test_sched_poll test_io_string test_nmi_dom0
KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(KTESTS))
all: $(KTEST_ELFS)

# I/O ports, physical IRQs as events (issue 4).
KTESTS += test_io_ports test_io_pirq
KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(KTESTS))
all: $(KTEST_ELFS)

# Test Dom0s that build DomUs with Dom0's builder and console service
# (issue 4); the DomU is module 1 (see tests.list).
DOM_KTESTS := test_dom_console test_dom_destroy test_dom_bad test_dom_hostile \
	      test_dom_hcfuzz
DOM_KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(DOM_KTESTS))

$(BUILD)/tests/kern/test_dom_%.c.o: tests/kern/test_dom_%.c tests/kern/ktest.h \
		tests/kern/domtest.h $(GUEST_HDRS) $(DOM0_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -Idom0 -Itests/kern -c $< -o $@

$(BUILD)/tests/kern/test_dom_%.elf: $(BUILD)/tests/kern/test_dom_%.c.o \
		$(DOM0_LIB_OBJS) $(GUEST_OBJS) guest/guest.lds
	$(call link_guest,$@,$< $(DOM0_LIB_OBJS))

# Kernels that run themselves as module 1 (test_platform_op, test_io_physdev:
# Dom0's part, then the DomU's) link Dom0's builder like the test_dom_* ones.
DOM0_LINKED_KTESTS := test_platform_op test_io_physdev test_gnttab_domu

$(patsubst %,$(BUILD)/tests/kern/%.c.o,$(DOM0_LINKED_KTESTS)): \
		$(BUILD)/tests/kern/%.c.o: tests/kern/%.c tests/kern/ktest.h \
		tests/kern/domtest.h $(GUEST_HDRS) $(DOM0_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -Idom0 -Itests/kern -c $< -o $@

$(patsubst %,$(BUILD)/tests/kern/%.elf,$(DOM0_LINKED_KTESTS)): \
		$(BUILD)/tests/kern/%.elf: $(BUILD)/tests/kern/%.c.o \
		$(DOM0_LIB_OBJS) $(GUEST_OBJS) guest/guest.lds
	$(call link_guest,$@,$< $(DOM0_LIB_OBJS))

# The fuzzer's test Dom0 reads its command line with domu/options.c.
$(BUILD)/tests/kern/test_dom_hcfuzz.c.o: domu/options.h
$(BUILD)/tests/kern/test_dom_hcfuzz.elf: $(BUILD)/tests/kern/test_dom_hcfuzz.c.o \
		$(BUILD)/domu/options.c.o $(DOM0_LIB_OBJS) $(GUEST_OBJS) guest/guest.lds
	$(call link_guest,$@,$< $(BUILD)/domu/options.c.o $(DOM0_LIB_OBJS))

all: $(DOM_KTEST_ELFS) $(BUILD)/domu/hello.elf
.SECONDARY: $(DOM_KTEST_ELFS:.elf=.c.o)
include domu/tests.mk

# BSD symbol table for Dom0 (XEN_ELFNOTE_BSD_SYMTAB, as XTF's xsa-194 needs).
KTESTS += test_bsdsyms
KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(KTESTS))
all: $(KTEST_ELFS)

# Serial console input to Dom0 (VIRQ_CONSOLE, CONSOLEIO_read).
KTESTS += test_console_input
KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(KTESTS))
all: $(KTEST_ELFS)

# test_boot packed as Linux packs its vmlinux (scripts/mkbzimage.py): in a
# bzImage with a gzip or xz payload, as a bare gzipped ELF, and in a bzImage
# with a bzip2 payload, which the Dom0 loader refuses by name.
PACKED_KERNELS := $(addprefix $(BUILD)/tests/kern/test_boot.,bzimage-gzip \
		  bzimage-xz bzimage-bzip2 elf.gz)

$(BUILD)/tests/kern/test_boot.bzimage-%: $(BUILD)/tests/kern/test_boot.elf \
		scripts/mkbzimage.py
	python3 scripts/mkbzimage.py --format $* $< $@

$(BUILD)/tests/kern/test_boot.elf.gz: $(BUILD)/tests/kern/test_boot.elf \
		scripts/mkbzimage.py
	python3 scripts/mkbzimage.py --raw --format gzip $< $@

# More data than its size trailer admits: must be refused, nothing overrun.
$(BUILD)/tests/kern/test_boot.bzimage-liar: $(BUILD)/tests/kern/test_boot.elf \
		scripts/mkbzimage.py
	python3 scripts/mkbzimage.py --format xz --pad 3145728 --lie-size 65536 $< $@

all: $(PACKED_KERNELS) $(BUILD)/tests/kern/test_boot.bzimage-liar

# VCPUOP_register_vcpu_info (issue 2).
KTESTS += test_vcpu_info
KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(KTESTS))
all: $(KTEST_ELFS)

# platform_op as Dom0 (wall clock, physical CPU, firmware), and refused to
# a DomU: the kernel runs itself as module 1, so it links Dom0's builder.
KTESTS += test_platform_op
KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(KTESTS))
all: $(KTEST_ELFS)

# More than one vCPU in Dom0 (dom0_max_vcpus=3): VCPUOP_initialise/up/down,
# per-vCPU events and timers; its contexts are a file of their own, which
# shares segtest.h's descriptor helpers.
KTESTS += test_vcpu_up
KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(KTESTS))
$(BUILD)/tests/kern/test_vcpu_up_ctx.c.o $(BUILD)/tests/kern/test_cpu_gdt.c.o \
$(BUILD)/tests/kern/test_cpu_ldt.c.o: tests/kern/segtest.h
$(BUILD)/tests/kern/test_vcpu_up.c.o $(BUILD)/tests/kern/test_vcpu_up_ctx.c.o: \
		tests/kern/test_vcpu_up.h
$(BUILD)/tests/kern/test_vcpu_up.elf: $(BUILD)/tests/kern/test_vcpu_up.c.o \
		$(BUILD)/tests/kern/test_vcpu_up_ctx.c.o $(GUEST_OBJS) guest/guest.lds
	$(call link_guest,$@,$< $(BUILD)/tests/kern/test_vcpu_up_ctx.c.o)
all: $(KTEST_ELFS)

# Kernels that third-party boot paths asked for (session 10): NetBSD's page
# operations and linear tables, Linux's reuse of Dom0's console ring page.
KTESTS += test_mm_pageops test_console_giveup test_mm_linear \
	  test_console_balloon test_cpu_msr
KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(KTESTS))
all: $(KTEST_ELFS)

# physdev_op for Dom0's interrupt controllers and PCI devices (map_pirq,
# setup_gsi, apic_read/write, pci_device_add...), refused to a DomU: the
# kernel runs itself as module 1, so it links Dom0's builder.
KTESTS += test_io_physdev
KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(KTESTS))
all: $(KTEST_ELFS)

# Grant operations between Dom0 and DomUs: the kernel runs itself as
# module 1, so it links Dom0's builder.
KTESTS += test_gnttab_domu
KTEST_ELFS := $(patsubst %,$(BUILD)/tests/kern/%.elf,$(KTESTS))
all: $(KTEST_ELFS)
# The port I/O tests share iotest.h.
$(BUILD)/tests/kern/test_cpu_iopl.c.o $(BUILD)/tests/kern/test_cpu_iobitmap.c.o: \
		tests/kern/iotest.h
