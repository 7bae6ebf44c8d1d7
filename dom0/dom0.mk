# dom0/: Xylem's Dom0 kernel, build/dom0/dom0.elf.
DOM0_OBJS := $(BUILD)/dom0/main.c.o

$(BUILD)/dom0/%.c.o: dom0/%.c $(GUEST_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/dom0/dom0.elf: $(DOM0_OBJS) $(GUEST_OBJS) guest/guest.lds
	$(call link_guest,$@,$(DOM0_OBJS))

all: $(BUILD)/dom0/dom0.elf

# The default demo: the hypervisor and Dom0, booted directly or via GRUB2.
DOM0 ?= $(BUILD)/dom0/dom0.elf
DOM0_ARGS ?= $(if $(filter $(BUILD)/dom0/dom0.elf,$(DOM0)),wait,)
HYP_ARGS ?= loglvl=info

run: deps
	@$(MAKE) --no-print-directory $(BUILD)/hyp/xylem.elf $(BUILD)/dom0/dom0.elf
	@echo "Booting Xylem with Dom0 $(DOM0) ($(DOM0_ARGS)). Leave QEMU with Ctrl-A X."
	@scripts/qemu-run.sh --append "$(HYP_ARGS)" "$(DOM0) $(DOM0_ARGS)"

iso: $(BUILD)/xylem.iso
$(BUILD)/xylem.iso: $(BUILD)/hyp/xylem.elf $(BUILD)/dom0/dom0.elf scripts/mkiso.sh
	scripts/mkiso.sh $@ $(BUILD)/hyp/xylem.elf "$(HYP_ARGS)" $(BUILD)/dom0/dom0.elf "$(DOM0_ARGS)"
