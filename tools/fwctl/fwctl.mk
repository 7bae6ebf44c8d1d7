# tools/fwctl/fwctl.mk - the host firewall control tool, build/tools/fwctl.
FWCTL_SRCS := tools/fwctl/fwctl.c $(VFR_RULE_SRCS)

$(BUILD)/tools/fwctl: $(FWCTL_SRCS) $(HOST_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $(FWCTL_SRCS)

all: $(BUILD)/tools/fwctl
