/*
 * panic.h - stop the machine on a hypervisor bug or an unusable boot
 * environment.  Never called on guest-controlled input: a guest's mistakes
 * crash the guest (domain_crash), not the hypervisor.
 */
#ifndef XYLEM_PANIC_H
#define XYLEM_PANIC_H

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
