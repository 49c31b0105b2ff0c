/* deferred: see deferred.h. */
#include "kernel/deferred.h"

#include <stddef.h>

static struct deferred_call *deferred_list;

/* Set whenever a call is scheduled, cleared at the start of a pass: the
 * kernel checks it after every system call, so it must cost one load. It
 * may say "pending" once too often (harmless), never too rarely. */
static volatile bool deferred_scheduled;

void deferred_register(struct deferred_call *dc, void (*fn)(void *ctx), void *ctx)
{
    dc->fn = fn;
    dc->ctx = ctx;
    dc->pending = false;
    dc->next = deferred_list;
    deferred_list = dc;
}

void deferred_schedule(struct deferred_call *dc)
{
    dc->pending = true;
    deferred_scheduled = true;
}

bool deferred_any_pending(void)
{
    return deferred_scheduled;
}

void deferred_run(void)
{
    struct deferred_call *dc;

    /* Clear before calling, so a call may reschedule itself for next pass;
     * the list walk sees each call once per pass. */
    deferred_scheduled = false;
    for (dc = deferred_list; dc != NULL; dc = dc->next) {
        if (dc->pending) {
            dc->pending = false;
            dc->fn(dc->ctx);
        }
    }
}
