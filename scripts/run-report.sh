#!/usr/bin/env bash
# run-report.sh - run a command that boots Xylem in QEMU (make run's
# qemu-run.sh) and say how the machine ended.
#
#   run-report.sh COMMAND [ARGS...]
#
# Dom0 powering off or asking for a reboot is a clean end: the exit status
# is 0.  A crash, a watchdog or suspend shutdown, a hypervisor panic, a
# timeout or any other status is passed on, so that `make run` fails for
# it.  QEMU's own 0 is either Ctrl-A X or a CPU reset (a triple fault,
# which -no-reboot turns into an exit): QEMU's reset log (XYLEM_RESET_LOG,
# see qemu-run.sh) tells them apart under TCG, and a triple fault is
# status 1.  Under KVM QEMU does not log it, and 0 counts as a quit.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/exit-codes.sh"

XYLEM_RESET_LOG=$(mktemp)
export XYLEM_RESET_LOG
trap 'rm -f "$XYLEM_RESET_LOG"' EXIT
"$@"
rc=$?
name=$(exit_name "$rc")
if [ "$name" = "quit or reset" ]; then
	if grep -q "Triple fault" "$XYLEM_RESET_LOG"; then
		name="triple fault"
	else
		name=quit
	fi
fi
case $name in
poweroff) echo "Xylem: Dom0 powered off; the machine stopped cleanly." ;;
reboot) echo "Xylem: Dom0 asked for a reboot; the machine stopped cleanly (QEMU runs with -no-reboot)." ;;
quit) echo "Xylem: QEMU was quit." ;;
"triple fault")
	echo "Xylem: the CPU reset after a triple fault (QEMU runs with -no-reboot, so it stopped)." >&2
	exit 1 ;;
*) echo "Xylem: the machine ended by $name (QEMU exit status $rc); see docs/testing.md, \"Exit codes\"." >&2
   exit "$rc" ;;
esac
exit 0
