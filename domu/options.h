/*
 * options.h - the "key=value" words of a test DomU's command line
 * (start_info->cmd_line), for the kernels of domu/tests.mk.
 *
 * Words are separated by spaces.  opt_value() returns the value of the
 * first word "key=...", or NULL, and its length (the value is not
 * NUL-terminated: it ends at the next space).  opt_number() parses a
 * decimal value, falling back to dflt when the word is missing or is not
 * a number; opt_is() compares a value with a string.  The command line is
 * the DomU's own start_info page; nothing here writes to it.
 */
#ifndef XYLEM_DOMU_OPTIONS_H
#define XYLEM_DOMU_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

const char *opt_value(const char *cmd, const char *key, size_t *len);
unsigned long opt_number(const char *cmd, const char *key, unsigned long dflt);
bool opt_is(const char *cmd, const char *key, const char *value);

#endif
