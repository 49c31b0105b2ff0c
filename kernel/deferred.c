/* deferred: see deferred.h. */
#include "kernel/deferred.h"

#include <stddef.h>

static struct deferred_call *deferred_list;

/* kernel/hotpath.h. deferred_calls counts the registered calls pending:
 * "anything to do?" must cost one load, not a list walk. */
struct kernel_work kernel_work;

_Static_assert(offsetof(struct kernel_work, irq_words) == KWORK_OFF_IRQ_WORDS, "kernel/hotpath.h");
_Static_assert(offsetof(struct kernel_work, deferred_calls) == KWORK_OFF_DEFERRED_CALLS,
               "kernel/hotpath.h");

static bool registered(const struct deferred_call *dc)
{
    const struct deferred_call *it;

    for (it = deferred_list; it != NULL; it = it->next)
        if (it == dc)
            return true;
    return false;
}

void deferred_register(struct deferred_call *dc, void (*fn)(void *ctx), void *ctx)
{
    /* Registering again (a driver re-initialised) resets the call in place:
     * linking it twice would make the list a loop. */
    if (registered(dc)) {
        if (dc->pending)
            kernel_work.deferred_calls--;
    } else {
        dc->next = deferred_list;
        deferred_list = dc;
    }
    dc->fn = fn;
    dc->ctx = ctx;
    dc->pending = false;
}

void deferred_schedule(struct deferred_call *dc)
{
    if (!dc->pending) {
        dc->pending = true;
        kernel_work.deferred_calls++;
    }
}

bool deferred_take(struct deferred_call *dc)
{
    if (!dc->pending)
        return false;
    dc->pending = false;
    kernel_work.deferred_calls--;
    return true;
}

void deferred_run(void)
{
    struct deferred_call *dc;

    if (kernel_work.deferred_calls == 0)
        return;
    /* Clear before calling, so a call may reschedule itself for the next
     * pass; the list walk sees each call once per pass. */
    for (dc = deferred_list; dc != NULL; dc = dc->next) {
        if (dc->pending) {
            dc->pending = false;
            kernel_work.deferred_calls--;
            dc->fn(dc->ctx);
        }
    }
}
