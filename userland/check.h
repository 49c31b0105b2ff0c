/*
 * check: the pass/fail tally of test apps (conformance, nvs_abi). Each
 * check records pass or fail and prints one "check: ..." line for a failure
 * (what was expected, what came back). Checks print nothing on success, so
 * a test sequence that must not touch the console between two syscalls
 * collects its results first and checks them afterwards.
 */
#ifndef USERLAND_CHECK_H
#define USERLAND_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "userland/syscall.h"

/* cond must hold. */
void check_true(const char *what, bool cond);
/* ret must be exactly `variant` with r1 == value (values ignored when the
 * variant carries none). */
void check_variant(const char *what, tock_ret_t ret, uint32_t variant);
void check_u32(const char *what, uint32_t got, uint32_t want);
/* A failure variant with error code `err` in r1. */
void check_failure(const char *what, tock_ret_t ret, uint32_t variant, uint32_t err);

unsigned check_passed(void);
unsigned check_failed(void);

#endif /* USERLAND_CHECK_H */
