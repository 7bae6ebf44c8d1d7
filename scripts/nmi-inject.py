#!/usr/bin/env python3
"""nmi-inject.py - send NMIs to a QEMU machine through its monitor socket.

    nmi-inject.py SOCKET LOG COUNT

Waits (up to 60 s) until the serial LOG shows the hypervisor entering
Dom0, so that the NMIs land on the running hypervisor rather than on the
firmware or the boot code, then sends COUNT "nmi" commands 100 ms apart
and closes the monitor.  qemu-run.sh --nmi starts it in the background.
"""
import os
import socket
import sys
import time


def wait_for_dom0(log, deadline):
    while time.time() < deadline:
        try:
            with open(log, "rb") as f:
                if b"entering Dom0" in f.read():
                    return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def main():
    sock_path, log, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    deadline = time.time() + 60
    if not wait_for_dom0(log, deadline):
        sys.exit("nmi-inject: Dom0 never started")
    mon = socket.socket(socket.AF_UNIX)
    while True:
        try:
            mon.connect(sock_path)
            break
        except OSError:
            if time.time() > deadline:
                sys.exit("nmi-inject: no monitor at " + sock_path)
            time.sleep(0.05)
    for _ in range(count):
        mon.sendall(b"nmi\n")
        time.sleep(0.1)
    mon.close()
    os.unlink(sock_path)


if __name__ == "__main__":
    main()
