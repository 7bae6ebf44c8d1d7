#!/bin/sh
# dom0-mem.sh MEM - the Dom0 memory `make run` gives a kernel of someone
# else's on a QEMU machine of MEM (QEMU's -m: MiB, or with an M or G
# suffix): about what Xen gives a Dom0 by default, the memory less a
# sixteenth of it, at most 128 MiB held back.  Prints e.g. "240M" for 256;
# prints nothing for a MEM it cannot read (QEMU then judges it).
m=$1
case $m in
*[Gg]) m=${m%?}; mult=1024 ;;
*[Mm]) m=${m%?}; mult=1 ;;
*) mult=1 ;;
esac
case $m in
'' | *[!0-9]*) exit 0 ;;
esac
m=$((m * mult))
r=$((m / 16))
[ "$r" -gt 128 ] && r=128
echo "$((m - r))M"
