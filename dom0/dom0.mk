# dom0/: Xylem's Dom0 kernel, build/dom0/dom0.elf.

DOM0_OBJS := $(BUILD)/dom0/main.c.o
# The builder, console service and parsers, also linked into test Dom0s;
# hyp/elf.c, hyp/bootlayout.c and the kernel unpacking (hyp/bzimage.c and its
# decoders) are freestanding and built here unchanged.
DOM0_LIB_OBJS := $(BUILD)/dom0/builder.c.o $(BUILD)/dom0/consoled.c.o \
		 $(BUILD)/dom0/domspec.c.o $(BUILD)/dom0/modpack.c.o \
		 $(BUILD)/dom0/xenstored.c.o $(BUILD)/dom0/xs_store.c.o \
		 $(BUILD)/dom0/xs_tree.c.o $(BUILD)/dom0/xs_watch.c.o \
		 $(BUILD)/dom0/xs_ring.c.o \
		 $(BUILD)/dom0/hyp_elf.c.o $(BUILD)/dom0/hyp_bootlayout.c.o \
		 $(BUILD)/dom0/hyp_bzimage.c.o $(BUILD)/dom0/hyp_inflate.c.o \
		 $(BUILD)/dom0/hyp_unxz.c.o $(BUILD)/dom0/hyp_lzma2.c.o
DOM0_OBJS += $(DOM0_LIB_OBJS)
DOM0_HDRS := $(wildcard dom0/*.h) hyp/elf.h hyp/bootlayout.h hyp/bzimage.h \
	     hyp/inflate.h hyp/unxz.h hyp/lzma2.h \
	     include/public/io/xs_wire.h

$(BUILD)/dom0/%.c.o: dom0/%.c $(GUEST_HDRS) $(DOM0_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/dom0/hyp_%.c.o: hyp/%.c $(DOM0_HDRS) $(GUEST_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/dom0/dom0.elf: $(DOM0_OBJS) $(GUEST_OBJS) guest/guest.lds
	$(call link_guest,$@,$(DOM0_OBJS))

all: $(BUILD)/dom0/dom0.elf

# The default demo: the hypervisor, Dom0 and two hello DomUs (each its own
# boot module, so Dom0 receives them as a module pack), booted directly;
# `make iso` boots the hypervisor and Dom0 alone via GRUB2.  QEMU splits
# -initrd at commas, so the dom= options' commas are doubled for it.
# A kernel of someone else's as DOM0 gets none of this: only DOM0_ARGS as its
# command line, and DOMU_MODULES (empty) as its ramdisk if given one.  A Linux
# kernel given no DOM0_ARGS gets "console=hvc0 earlyprintk=xen": Dom0 has no
# VGA here, and Linux as Dom0 does not pick hvc0 (console_io) by itself.
DOM0 ?= $(BUILD)/dom0/dom0.elf
XYLEM_DOM0 := $(filter $(abspath $(BUILD)/dom0/dom0.elf),$(abspath $(DOM0)))
DEMO_DOMU_ARGS := dom=alpha,mod=1,mem=4M,weight=256 dom=beta,mod=2,mem=4M,weight=512
DEMO_DOMU_MODULES := "$(BUILD)/domu/hello.elf greeting=alpha" \
		     "$(BUILD)/domu/hello.elf greeting=beta ticks=5"
LINUX_DOM0_ARGS := console=hvc0 earlyprintk=xen
DOM0_ARGS ?= $(if $(XYLEM_DOM0),wait,$(if $(filter linux,$(shell \
	scripts/kernel-kind.sh $(DOM0))),$(LINUX_DOM0_ARGS)))
DOMU_ARGS ?= $(if $(XYLEM_DOM0),$(DEMO_DOMU_ARGS))
DOMU_MODULES ?= $(if $(XYLEM_DOM0),$(DEMO_DOMU_MODULES))
HYP_ARGS ?= loglvl=info
# A kernel of someone else's gets about what a Xen Dom0 gets by default: the
# memory less a sixteenth of it, at most 128 MiB held back (Xen counts what
# is free; here QEMU's RAM: 240 MiB of 256; the hypervisor caps it at what
# is free).  Xylem's own Dom0 keeps the hypervisor's 64 MiB default, which
# leaves room for the demo's DomUs.  A dom0_mem= in HYP_ARGS wins.
# XYLEM_MEM is QEMU's -m (scripts/dom0-mem.sh reads it).
RUN_MEM := $(or $(XYLEM_MEM),256)
FOREIGN_DOM0_MEM = $(shell scripts/dom0-mem.sh '$(RUN_MEM)')
RUN_HYP_ARGS = $(strip $(HYP_ARGS) $(if $(XYLEM_DOM0)$(findstring \
	dom0_mem=,$(HYP_ARGS)),,$(if $(FOREIGN_DOM0_MEM),dom0_mem=$(FOREIGN_DOM0_MEM))))
comma := ,

run: deps
	@$(MAKE) --no-print-directory $(BUILD)/hyp/xylem.elf $(BUILD)/dom0/dom0.elf \
		$(BUILD)/domu/hello.elf
	@echo "Booting Xylem ($(RUN_HYP_ARGS)) with Dom0 $(DOM0) ($(strip $(DOM0_ARGS) $(DOMU_ARGS))). Leave QEMU with Ctrl-A X."
	@scripts/run-report.sh scripts/qemu-run.sh --append "$(RUN_HYP_ARGS)" \
		"$(strip $(DOM0) $(DOM0_ARGS) $(subst $(comma),$(comma)$(comma),$(DOMU_ARGS)))" \
		$(DOMU_MODULES)

iso: $(BUILD)/xylem.iso
$(BUILD)/xylem.iso: $(BUILD)/hyp/xylem.elf $(BUILD)/dom0/dom0.elf scripts/mkiso.sh
	scripts/mkiso.sh $@ $(BUILD)/hyp/xylem.elf "$(HYP_ARGS)" $(BUILD)/dom0/dom0.elf "$(DOM0_ARGS)"
FUZZ_TARGETS += fuzz_domspec fuzz_modpack
fuzz_domspec_SRCS := tests/fuzz/fuzz_domspec.c dom0/domspec.c
fuzz_modpack_SRCS := tests/fuzz/fuzz_modpack.c dom0/modpack.c
HOST_TESTS += test_domspec test_modpack
test_domspec_SRCS := tests/host/test_domspec.c dom0/domspec.c
test_modpack_SRCS := tests/host/test_modpack.c dom0/modpack.c
HOST_TESTS += test_xs_store test_xs_ring
test_xs_store_SRCS := tests/host/test_xs_store.c dom0/xs_store.c dom0/xs_tree.c dom0/xs_watch.c
test_xs_ring_SRCS := tests/host/test_xs_ring.c dom0/xs_ring.c dom0/xs_store.c dom0/xs_tree.c dom0/xs_watch.c
FUZZ_TARGETS += fuzz_xs
fuzz_xs_SRCS := tests/fuzz/fuzz_xs.c dom0/xs_ring.c dom0/xs_store.c dom0/xs_tree.c dom0/xs_watch.c
