/* bench_sleepy: bench_fair that naps one tick every CHECK_EVERY turns. */
#define FAIR_NAP   1
#define FAIR_LABEL "bench_sleepy"
#include "../bench_fair/main.c"
