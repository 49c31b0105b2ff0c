/*
 * tock_ syscall wrappers: one C function per Tock 2.x system call class, and
 * helpers that turn a return variant into a status code.
 *
 * Used by the runtime (crt0, newlib glue, console/alarm helpers), by
 * libnvstorage and by apps. Each wrapper is one `svc` whose immediate is the
 * class (abi/tock_abi.h); arguments go in r0-r3. The kernel writes only the
 * registers the return variant uses, so every wrapper reads r0-r3 back as
 * outputs and never assumes an argument register survived.
 *
 * Status codes returned by the helpers: TOCK_SUCCESS (0), a positive
 * TOCK_E* error code from the kernel, or TOCK_EBADRVAL when the kernel
 * answered with a variant the call cannot produce. Nothing here blocks
 * except the yield-wait variants; nothing here allocates.
 */
#ifndef USERLAND_SYSCALL_H
#define USERLAND_SYSCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/tock_abi.h"

/* What the kernel left in r0-r3: the variant in r0, its values in r1-r3. */
typedef struct {
    uint32_t variant;
    uint32_t r1;
    uint32_t r2;
    uint32_t r3;
} tock_ret_t;

/* The three arguments the kernel passes to an upcall (and userdata in r3). */
typedef void tock_upcall_fn(uint32_t arg0, uint32_t arg1, uint32_t arg2, void *userdata);

/* The event a yield-wait-for returned: the upcall's three arguments. */
typedef struct {
    uint32_t arg0;
    uint32_t arg1;
    uint32_t arg2;
} tock_event_t;

/* Yield. An upcall may run inside each of these (not inside wait-for). */

/* Returns true if an upcall ran (the kernel wrote 1 to the result byte). */
bool tock_yield_no_wait(void);
/* The same, leaving the result byte to the caller (which may preset it to
 * see whether the kernel writes it at all). */
void tock_yield_no_wait_raw(uint8_t *result);
/* Sleeps until exactly one upcall with a function has run. */
void tock_yield_wait(void);
/* Sleeps until (driver, subscribe_num) has an event; returns its arguments
 * without calling any upcall function. */
tock_event_t tock_yield_wait_for(uint32_t driver, uint32_t subscribe_num);

/* Raw classes: the kernel's answer as it is. */
tock_ret_t tock_subscribe(uint32_t driver, uint32_t subscribe_num, tock_upcall_fn *upcall,
                          void *userdata);
tock_ret_t tock_command(uint32_t driver, uint32_t command_num, uint32_t arg1, uint32_t arg2);
tock_ret_t tock_allow_rw(uint32_t driver, uint32_t allow_num, void *ptr, size_t len);
tock_ret_t tock_allow_ro(uint32_t driver, uint32_t allow_num, const void *ptr, size_t len);
tock_ret_t tock_allow_userspace_r(uint32_t driver, uint32_t allow_num, void *ptr, size_t len);
tock_ret_t tock_memop(uint32_t op, uint32_t arg);
__attribute__((noreturn)) void tock_exit_terminate(uint32_t code);
__attribute__((noreturn)) void tock_exit_restart(uint32_t code);

/* Helpers: status of a return whose only expected success variant is
 * `want`; on success *out (if the variant carries values) gets r1 (and
 * *out2 gets r2). */
int tock_status(tock_ret_t ret);                                     /* any success variant */
int tock_status_u32(tock_ret_t ret, uint32_t *out);                  /* RET_SUCCESS_U32 */
int tock_status_2u32(tock_ret_t ret, uint32_t *out, uint32_t *out2); /* RET_SUCCESS_2U32 */
bool tock_is_success(tock_ret_t ret);

/* Convenience forms that most code wants. */
int tock_command_ok(uint32_t driver, uint32_t command_num, uint32_t arg1, uint32_t arg2);
int tock_command_u32(uint32_t driver, uint32_t command_num, uint32_t arg1, uint32_t arg2,
                     uint32_t *out);
int tock_subscribe_status(uint32_t driver, uint32_t subscribe_num, tock_upcall_fn *upcall,
                          void *userdata);
int tock_allow_rw_status(uint32_t driver, uint32_t allow_num, void *ptr, size_t len);
int tock_allow_ro_status(uint32_t driver, uint32_t allow_num, const void *ptr, size_t len);

/* True if `driver` answers command 0 with success. */
bool tock_driver_exists(uint32_t driver);

#endif /* USERLAND_SYSCALL_H */
