/*
 * The class of a Tock system call is the immediate of the svc instruction,
 * so each class needs its own instruction: one small function per class.
 * All of them declare what a yield may change (an upcall runs as a normal
 * function call with the yield's return address in lr), which is more than
 * the other classes change and therefore safe for them too.
 */
#include "fz_svc.h"

#include "abi/tock_abi.h"

#define FZ_DEFINE_SVC(fn, cls)                                                                     \
    static void fn(struct fz_regs *regs)                                                           \
    {                                                                                              \
        register uint32_t r0 __asm__("r0") = regs->r[0];                                           \
        register uint32_t r1 __asm__("r1") = regs->r[1];                                           \
        register uint32_t r2 __asm__("r2") = regs->r[2];                                           \
        register uint32_t r3 __asm__("r3") = regs->r[3];                                           \
        __asm__ volatile("svc %[c]"                                                                \
                         : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)                                  \
                         : [c] "i"(cls)                                                            \
                         : "memory", "r12", "lr", "cc");                                           \
        regs->r[0] = r0;                                                                           \
        regs->r[1] = r1;                                                                           \
        regs->r[2] = r2;                                                                           \
        regs->r[3] = r3;                                                                           \
    }

FZ_DEFINE_SVC(svc_yield, SYSCALL_YIELD)
FZ_DEFINE_SVC(svc_subscribe, SYSCALL_SUBSCRIBE)
FZ_DEFINE_SVC(svc_command, SYSCALL_COMMAND)
FZ_DEFINE_SVC(svc_allow_rw, SYSCALL_ALLOW_RW)
FZ_DEFINE_SVC(svc_allow_ro, SYSCALL_ALLOW_RO)
FZ_DEFINE_SVC(svc_memop, SYSCALL_MEMOP)
FZ_DEFINE_SVC(svc_exit, SYSCALL_EXIT)
FZ_DEFINE_SVC(svc_allow_ur, SYSCALL_ALLOW_USERSPACE_READ)

/* A switch, not a table of function pointers: a table would be data the
 * position-independent app has to relocate. */
bool fz_svc(unsigned cls, struct fz_regs *regs)
{
    switch (cls) {
    case SYSCALL_YIELD:
        svc_yield(regs);
        return true;
    case SYSCALL_SUBSCRIBE:
        svc_subscribe(regs);
        return true;
    case SYSCALL_COMMAND:
        svc_command(regs);
        return true;
    case SYSCALL_ALLOW_RW:
        svc_allow_rw(regs);
        return true;
    case SYSCALL_ALLOW_RO:
        svc_allow_ro(regs);
        return true;
    case SYSCALL_MEMOP:
        svc_memop(regs);
        return true;
    case SYSCALL_EXIT:
        svc_exit(regs);
        return true;
    case SYSCALL_ALLOW_USERSPACE_READ:
        svc_allow_ur(regs);
        return true;
    default:
        return false;
    }
}
