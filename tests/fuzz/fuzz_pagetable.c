/*
 * fuzz_pagetable.c - libFuzzer target for hyp/pagetable.c, the frame-type
 * and reference rules and the validation of guest page-table entries.
 *
 * The input is a sequence of operations, FM_OP_BYTES bytes each, decoded
 * by fm_decode() in tests/host/fake_machine_ops.h: two guests update entries
 * of their frames (tables or data), zero whole frames, pin and unpin,
 * give frames back and get free ones, and the "hypervisor" takes and drops
 * references of any type.  It runs on a fresh fake machine; after every
 * operation fm_check() recomputes every count from scratch and checks the
 * rules, and a refused operation must have changed nothing.  At the end
 * everything is given back and no frame may stay referenced.  Any breach
 * aborts.  Seeds in tests/fuzz/fuzz_pagetable/ build three-level trees and
 * take them apart again.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../host/fake_machine_ops.h"

/* Long inputs only repeat what short ones reach, more slowly. */
#define MAX_OPS	512u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n;

	fm.abort_on_violation = true;
	fm.quiet = false;
	fm_reset();
	for (n = 0; n < MAX_OPS && (n + 1) * FM_OP_BYTES <= size; n++) {
		fm_apply(data + n * FM_OP_BYTES);
		fm_check();
	}
	fm_teardown();
	fm_check();
	if (fm.violations)
		abort();
	return 0;
}
