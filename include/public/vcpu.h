/*
 * include/public/vcpu.h - vcpu_op: bringing vCPUs up and down, per-vCPU
 * timers, run-state accounting (virtual time) and vcpu_info placement.
 * VCPUOP_initialise takes a struct vcpu_guest_context
 * (arch-x86_32.h).
 */
#ifndef XYLEM_PUBLIC_VCPU_H
#define XYLEM_PUBLIC_VCPU_H

#include <stdint.h>

#define VCPUOP_initialise			0
#define VCPUOP_up				1
#define VCPUOP_down				2
#define VCPUOP_is_up				3
#define VCPUOP_get_runstate_info		4
#define VCPUOP_register_runstate_memory_area	5
#define VCPUOP_set_periodic_timer		6
#define VCPUOP_stop_periodic_timer		7
#define VCPUOP_set_singleshot_timer		8
#define VCPUOP_stop_singleshot_timer		9
#define VCPUOP_register_vcpu_info		10
#define VCPUOP_register_vcpu_time_memory_area	13

#define RUNSTATE_running	0
#define RUNSTATE_runnable	1
#define RUNSTATE_blocked	2
#define RUNSTATE_offline	3

/* 44 bytes: 64-bit fields are 4-byte aligned in the 32-bit ABI. */
struct vcpu_runstate_info {
	int32_t state;
	uint64_t state_entry_time;	/* system time the state was entered */
	uint64_t time[4];		/* ns spent in each state */
} __attribute__((packed, aligned(4)));

struct vcpu_register_runstate_memory_area {
	uint32_t addr;			/* guest virtual address */
};

struct vcpu_set_periodic_timer {
	uint64_t period_ns;
} __attribute__((packed, aligned(4)));

#define VCPU_SSHOTTMR_future	(1u << 0)

struct vcpu_set_singleshot_timer {
	uint64_t timeout_abs_ns;
	uint32_t flags;
} __attribute__((packed, aligned(4)));

/* Move the vCPU's vcpu_info to offset in machine frame mfn (once). */
struct vcpu_register_vcpu_info {
	uint64_t mfn;
	uint32_t offset;
	uint32_t rsvd;			/* ignored */
} __attribute__((packed, aligned(4)));

/*
 * VCPUOP_register_vcpu_time_memory_area: a second copy of the vCPU's
 * vcpu_time_info at a guest virtual address (0 = none).  A 32-bit
 * guest's handle is the low half; the high half is not read.
 */
struct vcpu_register_time_memory_area {
	uint64_t addr;
};

#endif
