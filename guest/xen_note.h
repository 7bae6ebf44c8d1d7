/*
 * xen_note.h - XEN_NOTE(type, body): one ELF note named "Xen" of the given
 * type whose descriptor is the assembler directive(s) `body`, in section
 * .note.Xen, 4-byte aligned as ELF notes are.  For the heads of PV kernels
 * written in assembly: guest/head.S and the test kernels with heads of
 * their own (test_xtf_like, test_linux_like).  Assembly only.
 */
#ifndef XYLEM_GUEST_XEN_NOTE_H
#define XYLEM_GUEST_XEN_NOTE_H

#include <public/elfnote.h>

#define XEN_NOTE(type, body)				\
	.pushsection .note.Xen, "a", @note;		\
	.balign 4;					\
	.long 2f - 1f;					\
	.long 4f - 3f;					\
	.long type;					\
1:	.asciz "Xen";					\
2:	.balign 4;					\
3:	body;						\
4:	.balign 4;					\
	.popsection

#endif
