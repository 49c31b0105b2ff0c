/* upcall: see upcall.h. */
#include "kernel/upcall.h"

#include <string.h>

#include "kernel/grant.h"

/* The xPSR bit that records 4-byte stack realignment at exception entry:
 * the frame's position depends on it, so an upcall frame must keep it. */
#define XPSR_STACK_ALIGN (1u << 9)

static void remove_at(struct process *p, unsigned i)
{
    memmove(&p->queue[i], &p->queue[i + 1], (p->queue_len - i - 1) * sizeof(p->queue[0]));
    p->queue_len--;
}

bool upcall_schedule(const struct driver *drv, proc_id_t pid, uint32_t num, uint32_t a0,
                     uint32_t a1, uint32_t a2)
{
    struct process *p = proc_lookup(pid);
    int d = driver_index_of(drv);
    struct upcall_event *ev;

    if (p == NULL || d < 0 || num >= drv->num_upcalls)
        return false;
    if (p->state == PROC_YIELD_WAIT_FOR && p->wait_driver == (uint32_t)d && p->wait_num == num) {
        /* The process is blocked waiting for exactly this: hand it over. */
        struct arch_frame *f = proc_frame(p);

        f->r0 = a0;
        f->r1 = a1;
        f->r2 = a2;
        p->state = PROC_RUNNABLE;
        return true;
    }
    if (p->queue_len == UPCALL_QUEUE_LEN) {
        p->upcalls_dropped++;
        return false;
    }
    ev = &p->queue[p->queue_len++];
    ev->driver = (uint8_t)d;
    ev->num = (uint8_t)num;
    ev->arg[0] = a0;
    ev->arg[1] = a1;
    ev->arg[2] = a2;
    return true;
}

bool upcall_run_next(struct process *p)
{
    while (p->queue_len > 0) {
        struct upcall_event ev = p->queue[0];
        struct upcall_slot *slots = grant_upcalls(p, ev.driver, false);
        struct arch_frame *f;

        remove_at(p, 0);
        if (slots == NULL || slots[ev.num].fn == 0)
            continue; /* null subscription: the event is dropped */
        /* Reuse the yield's exception frame: when the function returns it
         * lands right after the process's `svc`. */
        f = proc_frame(p);
        f->r0 = ev.arg[0];
        f->r1 = ev.arg[1];
        f->r2 = ev.arg[2];
        f->r3 = slots[ev.num].appdata;
        f->lr = f->pc | 1u;
        f->pc = slots[ev.num].fn & ~1u;
        f->xpsr = (f->xpsr & XPSR_STACK_ALIGN) | ARCH_XPSR_THUMB;
        return true;
    }
    return false;
}

bool upcall_take_for(struct process *p, unsigned d, uint32_t num)
{
    unsigned i;

    for (i = 0; i < p->queue_len; i++) {
        if (p->queue[i].driver == d && p->queue[i].num == num) {
            struct arch_frame *f = proc_frame(p);

            f->r0 = p->queue[i].arg[0];
            f->r1 = p->queue[i].arg[1];
            f->r2 = p->queue[i].arg[2];
            remove_at(p, i);
            return true;
        }
    }
    return false;
}

void upcall_cancel(struct process *p, unsigned d, uint32_t num)
{
    unsigned i = 0;

    while (i < p->queue_len) {
        if (p->queue[i].driver == d && p->queue[i].num == num)
            remove_at(p, i);
        else
            i++;
    }
}
