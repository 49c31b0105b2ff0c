/* log: the sink (see log.h); the record itself is kernel/log_record.c. */
#include "kernel/log.h"

static log_sink_fn log_sink;

void log_set_sink(log_sink_fn sink)
{
    log_sink = sink;
}

void log_write(const char *s, size_t len)
{
    if (log_sink != NULL)
        log_sink(s, len);
}
