/* deferred: see deferred.h. */
#include "kernel/deferred.h"

#include <stddef.h>

static struct deferred_call *deferred_list;

/* How many registered calls are pending: "anything to do?" must cost one
 * load, not a list walk. */
unsigned deferred_count;

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
            deferred_count--;
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
        deferred_count++;
    }
}

bool deferred_take(struct deferred_call *dc)
{
    if (!dc->pending)
        return false;
    dc->pending = false;
    deferred_count--;
    return true;
}

void deferred_run(void)
{
    struct deferred_call *dc;

    if (deferred_count == 0)
        return;
    /* Clear before calling, so a call may reschedule itself for the next
     * pass; the list walk sees each call once per pass. */
    for (dc = deferred_list; dc != NULL; dc = dc->next) {
        if (dc->pending) {
            dc->pending = false;
            deferred_count--;
            dc->fn(dc->ctx);
        }
    }
}
