# exit-codes.sh - what QEMU's exit status says about how Xylem ended.
# Sourced by run-tests.sh and run-report.sh; not run by itself.
#
# The hypervisor ends QEMU by writing a code to isa-debug-exit (port 0xf4,
# hyp/shutdown.h), and QEMU exits with (code << 1) | 1.  timeout(1) gives
# 124 when it killed QEMU.  QEMU gives 0 when it was quit (Ctrl-A X), and
# also when the machine reset (a triple fault: QEMU runs with -no-reboot).

declare -A exit_code=([poweroff]=33 [reboot]=35 [crash]=37 [watchdog]=39
		      [suspend]=41 [panic]=63)

# The name of QEMU exit status $1, or "exit N" for one without a name.
exit_name() {
	local k
	for k in "${!exit_code[@]}"; do
		[ "${exit_code[$k]}" = "$1" ] && { echo "$k"; return; }
	done
	case $1 in
	0) echo "quit or reset" ;;	# run-report.sh tells which
	124) echo "timeout" ;;
	*) echo "exit $1" ;;
	esac
}
