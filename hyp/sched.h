/*
 * sched.h - choosing what runs next.  sched_after_trap() is called on the
 * way out of every trap: it returns when the current vCPU may go on, and
 * otherwise switches away (or idles) and does not return.
 */
#ifndef XYLEM_SCHED_H
#define XYLEM_SCHED_H

void sched_after_trap(void);

#endif
