# Every vfr/ source must also build as 32-bit freestanding code, the way
# Dom0 will build it: this compiles each one with the kernels' flags.
VFR32_OBJS := $(patsubst vfr/%.c,$(BUILD)/vfr32/%.o,$(wildcard vfr/*.c))

$(BUILD)/vfr32/%.o: vfr/%.c $(HOST_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(KCFLAGS) -Ivfr -Ivfr/env/host -c $< -o $@

all: $(VFR32_OBJS)
