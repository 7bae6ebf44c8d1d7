/*
 * include/public/console.h - the PV console ring shared between a guest
 * and its console backend (one page; start_info->console.domU names its
 * frame and event channel).  The guest produces into out[] and consumes
 * from in[]; indices run free and are reduced modulo the array size.
 */
#ifndef XYLEM_PUBLIC_CONSOLE_H
#define XYLEM_PUBLIC_CONSOLE_H

#include <stdint.h>

struct xencons_interface {
	char in[1024];
	char out[2048];
	uint32_t in_cons, in_prod;
	uint32_t out_cons, out_prod;
};

#endif
