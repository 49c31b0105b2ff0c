/*
 * fake_kernel: a test double for kernel/driver.h, for host tests and fuzz
 * targets of capsules.
 *
 * It keeps a few fake processes, each with a small RAM block that grants
 * are carved from, allow slots the test sets directly, storage permissions
 * and a log of the upcalls capsules schedule. A process can be killed or
 * restarted: its old proc_id_t then goes stale (new generation), exactly as
 * the real kernel's ids do, and its grants and allows are gone.
 * Single-threaded; no real scheduling: tests run completions with the real
 * kernel/deferred.c. Allow slots are per process and number, not per driver
 * (tests exercise one capsule at a time).
 */
#ifndef TESTS_HOST_SUPPORT_FAKE_KERNEL_H
#define TESTS_HOST_SUPPORT_FAKE_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/driver.h"

#define FK_MAX_PROCS   4
#define FK_RAM_SIZE    512 /* bytes of grant memory per process */
#define FK_MAX_ALLOWS  4
#define FK_MAX_GRANTS  4
#define FK_MAX_UPCALLS 256
#define FK_GEN_SHIFT   8 /* proc_id_t: slot in the low byte */

struct fk_upcall {
    proc_id_t pid;
    uint32_t driver;
    uint32_t num;
    uint32_t a0, a1, a2;
};

/* Kill every process, clear the upcall log and the counters. */
void fk_reset(void);

/* Start a process in slot (0..FK_MAX_PROCS-1), replacing any process there.
 * perms may be NULL (no storage permissions at all). Returns its id. */
proc_id_t fk_spawn(unsigned slot, const struct storage_perms *perms);

/* End a process: its id goes stale, grants and allows vanish. */
void fk_kill(proc_id_t pid);

/* Restart: same slot and permissions, new id, fresh grants and allows. */
proc_id_t fk_restart(proc_id_t pid);

/* Limit the grant memory of a live process (bytes; <= FK_RAM_SIZE). */
void fk_set_ram_limit(proc_id_t pid, uint32_t bytes);

/* Set the buffer a process shares through allow number num. */
void fk_allow_rw(proc_id_t pid, uint32_t num, uint8_t *ptr, uint32_t len);
void fk_allow_ro(proc_id_t pid, uint32_t num, const uint8_t *ptr, uint32_t len);

/* Convenience permission sets: owner only (read and modify its own id). */
struct storage_perms fk_perms_owner(uint32_t write_id);

/* Upcall log, in the order scheduled. */
size_t fk_upcall_count(void);
const struct fk_upcall *fk_upcall_at(size_t i);
/* Remove and return the first logged upcall of pid; false if none. */
bool fk_upcall_take(proc_id_t pid, struct fk_upcall *out);
/* Upcalls refused (stale id or full log). */
uint32_t fk_upcalls_dropped(void);

#endif /* TESTS_HOST_SUPPORT_FAKE_KERNEL_H */
