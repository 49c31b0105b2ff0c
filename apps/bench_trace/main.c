/*
 * bench_trace: the very same loops as bench_syscall, 20 repetitions each,
 * so that a full instruction trace (QEMU -singlestep -d exec) stays small.
 * tools/bench.py finds each loop's `svc` by its bench_svc_* label and counts
 * the instructions between it and the app's next instruction: an exact
 * figure to set beside bench_syscall's timed mean, and the list of kernel
 * functions the cost is spent in.
 */
#define BENCH_REPS 20u
#include "../bench_syscall/main.c"
