#!/usr/bin/env bash
# qemu-run.sh - boot the Xylem hypervisor in QEMU.
#
#   qemu-run.sh [--log FILE] [--input FILE] [--timeout SECS] [--iso ISO]
#               [--mem MiB] [--cpu PROPS] [--nmi N|req] [--append "HYP ARGS"]
#               [--] MODULE["ARGS"]...
#
# Modules are multiboot modules in order: the first is Dom0, each may carry
# a command line after a space ("build/dom0/dom0.elf console=hvc0").  With
# --iso the machine boots the given GRUB2 ISO instead of -kernel.  Serial
# output goes to the terminal, or to FILE with --log.  With --input the
# serial line reads FILE as if it were typed (QEMU takes it as fast as the
# guest drains the UART; at its end the line just goes quiet): QEMU 7.2's
# file chardev cannot read, so the port is "-serial stdio" with stdin
# redirected from FILE and stdout to the log (or the terminal).  The exit status is
# QEMU's: isa-debug-exit makes it (code << 1) | 1, see docs/testing.md;
# 124 means the timeout killed it.
# XYLEM_ACCEL=kvm runs under KVM (when /dev/kvm works); default is TCG.
# --cpu adds CPU properties to the model ("vendor=GenuineIntel"), which
# is TCG's "max" or KVM's "host".  With XYLEM_RESET_LOG=FILE, QEMU logs CPU
# resets to FILE (-d cpu_reset): under TCG a triple fault shows there as
# "Triple fault" (run-report.sh looks for it).  --nmi N (with --log) gives
# QEMU a monitor socket and has scripts/nmi-inject.py send N NMIs through
# it once the hypervisor has entered Dom0; --nmi req sends one for each
# "NMI-REQUEST" line the log shows.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
log="" input="" timeout_s=0 iso="" mem=${XYLEM_MEM:-256} append="" cpu="" nmi=0
while [ $# -gt 0 ]; do
	case "$1" in
	--log) log=$2; shift 2 ;;
	--input) input=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--iso) iso=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--cpu) cpu=,$2; shift 2 ;;
	--nmi) nmi=$2; shift 2
		case "$nmi" in
		req|[0-9]|[0-9][0-9]) ;;
		*) echo "qemu-run.sh: --nmi takes a count or 'req'" >&2; exit 2 ;;
		esac ;;
	--) shift; break ;;
	-*) echo "qemu-run.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done

accel=(-accel tcg -cpu "max$cpu")
if [ "${XYLEM_ACCEL:-tcg}" = kvm ]; then
	if [ -w /dev/kvm ]; then
		accel=(-accel kvm -cpu "host,-arch-capabilities$cpu")
	else
		echo "qemu-run.sh: XYLEM_ACCEL=kvm but /dev/kvm is not usable" >&2
		exit 2
	fi
fi

# Without --input the serial line shares stdio with QEMU's monitor, so
# that at a terminal Ctrl-A X quits (and Ctrl-A C reaches the monitor); a
# plain "-serial stdio" would pass Ctrl-A to the guest.  Input from a file
# gets the plain line, so that its bytes all reach the guest.
serial=(-serial mon:stdio)
if [ -n "$input" ]; then
	serial=(-serial stdio)
	[ -r "$input" ] && [ ! -d "$input" ] ||
		{ echo "qemu-run.sh: --input $input: not a readable file" >&2; exit 2; }
	exec < "$input"
	if [ -n "$log" ]; then
		exec > "$log"
	fi
elif [ -n "$log" ]; then
	serial=(-serial "file:$log")
fi

boot=()
if [ -n "$iso" ]; then
	boot=(-cdrom "$iso" -boot d)
else
	[ $# -ge 1 ] || { echo "qemu-run.sh: no Dom0 module given" >&2; exit 2; }
	modules=$(IFS=,; echo "$*")
	boot=(-kernel "$here/build/hyp/xylem.elf" -append "$append" -initrd "$modules")
fi

resetlog=()
if [ -n "${XYLEM_RESET_LOG:-}" ]; then
	resetlog=(-d cpu_reset -D "$XYLEM_RESET_LOG")
fi

monitor=(-monitor none)
if [ "$nmi" = req ] || [ "$nmi" -gt 0 ]; then
	[ -n "$log" ] || { echo "qemu-run.sh: --nmi needs --log" >&2; exit 2; }
	sock=$(mktemp -u "${TMPDIR:-/tmp}/xylem-monitor.XXXXXX")
	monitor=(-monitor "unix:$sock,server,nowait")
	[ -n "$input" ] || rm -f "$log"		# no earlier boot's "entering Dom0"
	"$here/scripts/nmi-inject.py" "$sock" "$log" "$nmi" &
fi

cmd=(qemu-system-i386 -machine pc "${accel[@]}" -m "$mem" -smp 1 "${resetlog[@]}"
     -display none "${monitor[@]}" -no-reboot -nodefaults
     -device isa-debug-exit,iobase=0xf4,iosize=0x04
     "${serial[@]}" "${boot[@]}")
if [ "$timeout_s" -gt 0 ]; then
	exec timeout --foreground -k 5 "$timeout_s" "${cmd[@]}"
fi
exec "${cmd[@]}"
