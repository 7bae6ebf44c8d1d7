# domu/: demo DomU kernels, built on the guest library, started by Dom0's
# domain builder from boot modules (dom0/dom0.mk's run target).
DOMU_KERNELS := $(BUILD)/domu/hello.elf $(BUILD)/domu/hostile.elf \
		$(BUILD)/domu/hcfuzz.elf \
		$(BUILD)/domu/xstest.elf

$(BUILD)/domu/%.c.o: domu/%.c $(GUEST_HDRS) $(wildcard domu/*.h)
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -c $< -o $@

# Each kernel links the command-line word parser of domu/options.c.
$(BUILD)/domu/%.elf: $(BUILD)/domu/%.c.o $(BUILD)/domu/options.c.o $(GUEST_OBJS) \
		guest/guest.lds
	$(call link_guest,$@,$< $(BUILD)/domu/options.c.o)

# The fuzzer's value mix and its grant_table_op builder are files of their
# own.  A seed's results depend on where the DomU's pages lie (a random
# frame may be any of ours), so the link order is part of the run: the mix
# first, its pages at the start of .bss (hcfuzz_mix.c), hcfuzz.c's few
# variables after the grant builder's.
HCFUZZ_OBJS := $(BUILD)/domu/hcfuzz_mix.c.o $(BUILD)/domu/hcfuzz_grant.c.o
$(BUILD)/domu/hcfuzz.elf: $(BUILD)/domu/hcfuzz.c.o $(HCFUZZ_OBJS) \
		$(BUILD)/domu/options.c.o $(GUEST_OBJS) guest/guest.lds
	$(call link_guest,$@,$(HCFUZZ_OBJS) $< $(BUILD)/domu/options.c.o)

all: $(DOMU_KERNELS)
.SECONDARY: $(DOMU_KERNELS:.elf=.c.o) $(BUILD)/domu/options.c.o \
	    $(HCFUZZ_OBJS)

# hello packed as Linux packs vmlinux (scripts/mkbzimage.py): Dom0's builder
# unpacks a bzImage with an xz payload and a bare gzipped ELF.
$(BUILD)/domu/hello.bzimage-xz: $(BUILD)/domu/hello.elf scripts/mkbzimage.py
	python3 scripts/mkbzimage.py --format xz $< $@

$(BUILD)/domu/hello.elf.gz: $(BUILD)/domu/hello.elf scripts/mkbzimage.py
	python3 scripts/mkbzimage.py --raw --format gzip $< $@

# A lying one: 3 MiB of data behind a trailer that claims 64 KiB.
$(BUILD)/domu/hello.bzimage-liar: $(BUILD)/domu/hello.elf scripts/mkbzimage.py
	python3 scripts/mkbzimage.py --format xz --pad 3145728 --lie-size 65536 $< $@

all: $(BUILD)/domu/hello.bzimage-xz $(BUILD)/domu/hello.elf.gz \
     $(BUILD)/domu/hello.bzimage-liar
