/*
 * The svc wrappers. Register use follows TRD104: arguments in r0-r3, the class
 * in the svc immediate, the return variant in r0 and its values in r1-r3.
 *
 * Every wrapper lists r0-r3 as outputs: the kernel writes only what its return
 * variant needs, so an argument register may come back unchanged or not.
 * Yields may run an upcall, an ordinary AAPCS function the kernel enters with
 * the yield's return address in lr, so they also clobber r12, lr, the flags
 * and memory.
 */
#include "userland/syscall.h"

/* One svc of class `cls` with four argument words; writes r0-r3 back. */
#define TOCK_SVC4(cls, a0, a1, a2, a3)                                                             \
    do {                                                                                           \
        __asm__ volatile("svc %[c]"                                                                \
                         : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3)                                  \
                         : [c] "i"(cls)                                                            \
                         : "memory");                                                              \
    } while (0)

/* A yield: like TOCK_SVC4, plus what an upcall run inside it may change. */
#define TOCK_YIELD4(a0, a1, a2, a3)                                                                \
    do {                                                                                           \
        __asm__ volatile("svc %[c]"                                                                \
                         : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3)                                  \
                         : [c] "i"(SYSCALL_YIELD)                                                  \
                         : "memory", "r12", "lr", "cc");                                           \
    } while (0)

/* The class must be an immediate, so each class gets its own function with
 * its own svc instruction. */
#define TOCK_DEFINE_SVC(fn, cls)                                                                   \
    static tock_ret_t fn(uint32_t x0, uint32_t x1, uint32_t x2, uint32_t x3)                       \
    {                                                                                              \
        register uint32_t r0 __asm__("r0") = x0;                                                   \
        register uint32_t r1 __asm__("r1") = x1;                                                   \
        register uint32_t r2 __asm__("r2") = x2;                                                   \
        register uint32_t r3 __asm__("r3") = x3;                                                   \
        TOCK_SVC4(cls, r0, r1, r2, r3);                                                            \
        tock_ret_t ret = {.variant = r0, .r1 = r1, .r2 = r2, .r3 = r3};                            \
        return ret;                                                                                \
    }

TOCK_DEFINE_SVC(svc_subscribe, SYSCALL_SUBSCRIBE)
TOCK_DEFINE_SVC(svc_command, SYSCALL_COMMAND)
TOCK_DEFINE_SVC(svc_allow_rw, SYSCALL_ALLOW_RW)
TOCK_DEFINE_SVC(svc_allow_ro, SYSCALL_ALLOW_RO)
TOCK_DEFINE_SVC(svc_memop, SYSCALL_MEMOP)
TOCK_DEFINE_SVC(svc_allow_userspace_r, SYSCALL_ALLOW_USERSPACE_READ)

void tock_yield_no_wait_raw(uint8_t *result)
{
    register uint32_t r0 __asm__("r0") = YIELD_NO_WAIT;
    register uint32_t r1 __asm__("r1") = (uint32_t)result;
    register uint32_t r2 __asm__("r2") = 0;
    register uint32_t r3 __asm__("r3") = 0;
    TOCK_YIELD4(r0, r1, r2, r3);
}

bool tock_yield_no_wait(void)
{
    uint8_t ran = 0;
    tock_yield_no_wait_raw(&ran);
    return ran != 0;
}

void tock_yield_wait(void)
{
    register uint32_t r0 __asm__("r0") = YIELD_WAIT;
    register uint32_t r1 __asm__("r1") = 0;
    register uint32_t r2 __asm__("r2") = 0;
    register uint32_t r3 __asm__("r3") = 0;
    TOCK_YIELD4(r0, r1, r2, r3);
}

tock_event_t tock_yield_wait_for(uint32_t driver, uint32_t subscribe_num)
{
    register uint32_t r0 __asm__("r0") = YIELD_WAIT_FOR;
    register uint32_t r1 __asm__("r1") = driver;
    register uint32_t r2 __asm__("r2") = subscribe_num;
    register uint32_t r3 __asm__("r3") = 0;
    TOCK_YIELD4(r0, r1, r2, r3);
    tock_event_t ev = {.arg0 = r0, .arg1 = r1, .arg2 = r2};
    return ev;
}

tock_ret_t tock_subscribe(uint32_t driver, uint32_t subscribe_num, tock_upcall_fn *upcall,
                          void *userdata)
{
    return svc_subscribe(driver, subscribe_num, (uint32_t)upcall, (uint32_t)userdata);
}

tock_ret_t tock_command(uint32_t driver, uint32_t command_num, uint32_t arg1, uint32_t arg2)
{
    return svc_command(driver, command_num, arg1, arg2);
}

tock_ret_t tock_allow_rw(uint32_t driver, uint32_t allow_num, void *ptr, size_t len)
{
    return svc_allow_rw(driver, allow_num, (uint32_t)ptr, len);
}

tock_ret_t tock_allow_ro(uint32_t driver, uint32_t allow_num, const void *ptr, size_t len)
{
    return svc_allow_ro(driver, allow_num, (uint32_t)ptr, len);
}

tock_ret_t tock_allow_userspace_r(uint32_t driver, uint32_t allow_num, void *ptr, size_t len)
{
    return svc_allow_userspace_r(driver, allow_num, (uint32_t)ptr, len);
}

tock_ret_t tock_memop(uint32_t op, uint32_t arg)
{
    return svc_memop(op, arg, 0, 0);
}

/* Exit never returns on a correct kernel; if it does, the process parks in
 * yield-wait rather than running on into garbage. */
static __attribute__((noreturn)) void exit_with(uint32_t how, uint32_t code)
{
    register uint32_t r0 __asm__("r0") = how;
    register uint32_t r1 __asm__("r1") = code;
    register uint32_t r2 __asm__("r2") = 0;
    register uint32_t r3 __asm__("r3") = 0;
    TOCK_SVC4(SYSCALL_EXIT, r0, r1, r2, r3);
    for (;;) {
        tock_yield_wait();
    }
}

void tock_exit_terminate(uint32_t code)
{
    exit_with(EXIT_TERMINATE, code);
}

void tock_exit_restart(uint32_t code)
{
    exit_with(EXIT_RESTART, code);
}
