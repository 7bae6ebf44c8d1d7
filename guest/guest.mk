# guest/: the Xylem PV kernel library, linked into Dom0 and test kernels.
GUEST_OBJS := $(BUILD)/guest/head.S.o $(BUILD)/guest/start.c.o $(BUILD)/guest/lib.c.o $(BUILD)/guest/mm.c.o
GUEST_CFLAGS := $(KCFLAGS) -Iguest -Ihyp -fno-tree-loop-distribute-patterns
GUEST_HDRS := $(wildcard guest/*.h include/public/*.h hyp/lib.h)

$(BUILD)/guest/%.S.o: guest/%.S $(GUEST_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/guest/%.c.o: guest/%.c $(GUEST_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -c $< -o $@

# The hypervisor's small C library serves the guests too.
$(BUILD)/guest/lib.c.o: hyp/lib.c hyp/lib.h
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -c $< -o $@

# link_guest(output, objects)
define link_guest
	$(LD) $(KLDFLAGS) -T guest/guest.lds -o $(1) $(2) $(GUEST_OBJS) $(LIBGCC32)
endef
GUEST_OBJS += $(BUILD)/guest/user.c.o
# Event channels and time (issue 4).
GUEST_OBJS += $(BUILD)/guest/event.c.o $(BUILD)/guest/time.c.o
# The PV console ring frontend: a DomU's printf goes to its ring.
GUEST_OBJS += $(BUILD)/guest/console.c.o
GUEST_OBJS += $(BUILD)/guest/vcpu.c.o
