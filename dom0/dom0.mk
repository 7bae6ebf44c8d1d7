# dom0/: Xylem's Dom0 kernel, build/dom0/dom0.elf.
DOM0_OBJS := $(BUILD)/dom0/main.c.o

$(BUILD)/dom0/%.c.o: dom0/%.c $(GUEST_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/dom0/dom0.elf: $(DOM0_OBJS) $(GUEST_OBJS) guest/guest.lds
	$(call link_guest,$@,$(DOM0_OBJS))

all: $(BUILD)/dom0/dom0.elf
