/*
 * bench_idle: blocks in yield-wait with nothing subscribed, so it never
 * runs again but stays alive: a process the kernel keeps in its tables
 * and must not spend time on. tools/bench_scale.py adds N - 2 of them
 * beside bench_rt and bench_spin to see what grows with the number of
 * processes. It never exits (the bench stops QEMU).
 */
#include "userland/syscall.h"

int main(void)
{
    for (;;)
        tock_yield_wait();
}
