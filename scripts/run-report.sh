#!/usr/bin/env bash
# run-report.sh - run a command that boots Xylem in QEMU (make run's
# qemu-run.sh) and say how the machine ended.
#
#   run-report.sh COMMAND [ARGS...]
#
# Dom0 powering off or asking for a reboot is a clean end: the exit status
# is 0.  So is quitting QEMU by hand (Ctrl-A X).  A crash, a watchdog or
# suspend shutdown, a hypervisor panic, a timeout or any other status is
# passed on, so that `make run` fails for it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/exit-codes.sh"

"$@"
rc=$?
name=$(exit_name "$rc")
case $name in
poweroff) echo "Xylem: Dom0 powered off; the machine stopped cleanly." ;;
reboot) echo "Xylem: Dom0 asked for a reboot; the machine stopped cleanly (QEMU runs with -no-reboot)." ;;
quit) echo "Xylem: QEMU was quit." ;;
*) echo "Xylem: the machine ended by $name (QEMU exit status $rc); see docs/testing.md, \"Exit codes\"." >&2
   exit "$rc" ;;
esac
exit 0
