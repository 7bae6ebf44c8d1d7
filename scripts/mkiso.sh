#!/usr/bin/env bash
# mkiso.sh OUT.iso HYPERVISOR HYP_ARGS DOM0 DOM0_ARGS - a GRUB2-bootable ISO
# (grub-mkrescue, BIOS) that loads the hypervisor with multiboot and Dom0 as
# its first module, with serial console and no menu delay.
set -eu
out=$1 hyp=$2 hyp_args=$3 dom0=$4 dom0_args=$5
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$hyp" "$stage/boot/xylem.elf"
cp "$dom0" "$stage/boot/dom0.elf"
cat > "$stage/boot/grub/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
set timeout=0
set default=0
menuentry "Xylem" {
	multiboot /boot/xylem.elf $hyp_args
	module /boot/dom0.elf $dom0_args
	boot
}
CFG
mkdir -p "$(dirname "$out")"
grub-mkrescue -o "$out" "$stage" > "$stage.log" 2>&1 || {
	cat "$stage.log" >&2
	rm -f "$stage.log"
	exit 1
}
rm -f "$stage.log"
