#!/usr/bin/env python3
"""nmi-inject.py - send NMIs to a QEMU machine through its monitor socket.

    nmi-inject.py SOCKET LOG COUNT
    nmi-inject.py SOCKET LOG req

Waits (up to 60 s) until the serial LOG shows the hypervisor entering
Dom0, so that the NMIs land on the running hypervisor rather than on the
firmware or the boot code, then sends COUNT "nmi" commands 100 ms apart
and closes the monitor.  With "req" it instead sends one NMI for each
line containing "NMI-REQUEST" that appears in LOG (a test kernel asks for
them), until QEMU closes the monitor.  qemu-run.sh --nmi starts it in the
background.
"""
import os
import select
import socket
import sys
import time

REQUEST = b"NMI-REQUEST"


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


def requests_in(log):
    try:
        with open(log, "rb") as f:
            return f.read().count(REQUEST)
    except OSError:
        return 0


def serve_requests(mon, log):
    """One NMI per request line, until QEMU goes away."""
    sent = 0
    while True:
        ready, _, _ = select.select([mon], [], [], 0.02)
        if ready and not mon.recv(4096):
            return          # QEMU exited
        while sent < requests_in(log):
            mon.sendall(b"nmi\n")
            sent += 1


def main():
    sock_path, log, count = sys.argv[1], sys.argv[2], sys.argv[3]
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
    if count == "req":
        try:
            serve_requests(mon, log)
        except OSError:
            pass            # QEMU exited while we wrote
    else:
        for _ in range(int(count)):
            mon.sendall(b"nmi\n")
            time.sleep(0.1)
    mon.close()
    try:
        os.unlink(sock_path)
    except OSError:
        pass


if __name__ == "__main__":
    main()
