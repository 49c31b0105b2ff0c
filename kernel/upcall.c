/*
 * upcall: see upcall.h.
 *
 * Each process's queue is a ring (queue_head, queue_len): the oldest event
 * leaves in O(1), which is what yield-wait and the common yield-wait-for
 * take. An event for a process already blocked in yield is handed over at
 * once (its frame set up, the process woken) instead of being queued.
 */
#include "kernel/upcall.h"

#include "kernel/grant.h"
#include "kernel/sched.h"

/* The xPSR bit that records 4-byte stack realignment at exception entry:
 * the frame's position depends on it, so an upcall frame must keep it. */
#define XPSR_STACK_ALIGN (1u << 9)

/* Ring slot of the i-th oldest event. */
static unsigned at(const struct process *p, unsigned i)
{
    unsigned k = p->queue_head + i;

    return k >= UPCALL_QUEUE_LEN ? k - UPCALL_QUEUE_LEN : k;
}

static void copy_event(struct process *p, unsigned to, unsigned from)
{
    p->queue_key[to] = p->queue_key[from];
    p->queue_arg[to][0] = p->queue_arg[from][0];
    p->queue_arg[to][1] = p->queue_arg[from][1];
    p->queue_arg[to][2] = p->queue_arg[from][2];
}

/* Remove the i-th oldest event, not the oldest: the younger ones move up a
 * place. Out of line: only a wait-for that skips older events or a cancel
 * comes here. */
static __attribute__((noinline)) void remove_younger(struct process *p, unsigned i)
{
    for (; i + 1 < p->queue_len; i++)
        copy_event(p, at(p, i), at(p, i + 1));
    p->queue_len--;
}

/* Remove the i-th oldest event: the oldest in O(1), inline (the hot end). */
static inline __attribute__((always_inline)) void remove_at(struct process *p, unsigned i)
{
    if (i != 0) {
        remove_younger(p, i);
        return;
    }
    p->queue_head = (uint8_t)(p->queue_head + 1 == UPCALL_QUEUE_LEN ? 0 : p->queue_head + 1);
    p->queue_len--;
}

/* Put an event's arguments in p's yield frame: what yield-wait-for returns,
 * and the first three arguments of an upcall function. */
static void set_event_args(struct arch_frame *f, uint32_t a0, uint32_t a1, uint32_t a2)
{
    f->r0 = a0;
    f->r1 = a1;
    f->r2 = a2;
}

/* Set up p's yield frame, its event arguments already in r0-r2, to run
 * fn(a0, a1, a2, appdata); when fn returns it lands right after the
 * process's `svc`. */
static void enter_upcall(struct arch_frame *f, const struct upcall_slot *slot)
{
    f->r3 = slot->appdata;
    f->lr = f->pc | 1u;
    f->pc = slot->fn & ~1u;
    f->xpsr = (f->xpsr & XPSR_STACK_ALIGN) | ARCH_XPSR_THUMB;
}

bool upcall_schedule(const struct driver *drv, proc_id_t pid, uint32_t num, uint32_t a0,
                     uint32_t a1, uint32_t a2)
{
    struct process *p = proc_lookup(pid);
    int d;
    unsigned k;

    if (p == NULL || num >= drv->num_upcalls)
        return false;
    if (p->state == PROC_YIELD_WAIT_FOR && p->wait_driver == drv->number && p->wait_upcall == num) {
        /* The process is blocked waiting for exactly this: hand it over
         * (the wake-up path: no driver look-up needed). */
        set_event_args(proc_frame(p), a0, a1, a2);
        sched_wake(p);
        return true;
    }
    d = driver_index_of(drv);
    if (d < 0)
        return false;
    if (p->state == PROC_YIELD_WAIT) {
        /* Blocked in yield-wait, so its queue holds nothing with a
         * function: run this one now, or drop it (null subscription). */
        const struct upcall_slot *slots = grant_upcalls(p, (unsigned)d, false);

        if (slots != NULL && slots[num].fn != 0) {
            set_event_args(proc_frame(p), a0, a1, a2);
            enter_upcall(proc_frame(p), &slots[num]);
            sched_wake(p);
        }
        return true;
    }
    if (p->queue_len == UPCALL_QUEUE_LEN) {
        if (p->upcalls_dropped != UINT16_MAX)
            p->upcalls_dropped++;
        return false;
    }
    k = at(p, p->queue_len++);
    p->queue_key[k].driver = (uint8_t)d;
    p->queue_key[k].num = (uint8_t)num;
    p->queue_arg[k][0] = a0;
    p->queue_arg[k][1] = a1;
    p->queue_arg[k][2] = a2;
    return true;
}

bool upcall_run_next(struct process *p)
{
    while (p->queue_len > 0) {
        unsigned k = p->queue_head;
        const struct upcall_slot *slots = grant_upcalls(p, p->queue_key[k].driver, false);
        uint8_t num = p->queue_key[k].num;

        remove_at(p, 0); /* the oldest: only the head moves, slot k stays */
        if (slots == NULL || slots[num].fn == 0)
            continue; /* null subscription: the event is dropped */
        set_event_args(proc_frame(p), p->queue_arg[k][0], p->queue_arg[k][1], p->queue_arg[k][2]);
        enter_upcall(proc_frame(p), &slots[num]);
        return true;
    }
    return false;
}

bool upcall_take_for(struct process *p, unsigned d, uint32_t num)
{
    unsigned i, k = p->queue_head;

    for (i = 0; i < p->queue_len; i++) {
        if (p->queue_key[k].driver == d && p->queue_key[k].num == num) {
            set_event_args(proc_frame(p), p->queue_arg[k][0], p->queue_arg[k][1],
                           p->queue_arg[k][2]);
            remove_at(p, i);
            return true;
        }
        if (++k == UPCALL_QUEUE_LEN)
            k = 0;
    }
    return false;
}

void upcall_cancel(struct process *p, unsigned d, uint32_t num)
{
    unsigned i = 0;

    while (i < p->queue_len) {
        const struct upcall_key *key = &p->queue_key[at(p, i)];

        if (key->driver == d && key->num == num)
            remove_at(p, i);
        else
            i++;
    }
}
