/*
 * bench_spin: never yields; spins about SPIN_TURNS loop turns and exits 0.
 * tools/bench.py runs two copies side by side under an instruction trace:
 * every timeslice expiry then switches from one process to the other, and
 * the kernel instructions of each such switch are counted. Prints nothing
 * (printing would add system calls to the trace).
 */
#include <stdint.h>

/* About 3 instructions per turn: a few 10 ms timeslices (10 M instructions
 * each under -icount shift=0) per copy. */
#define SPIN_TURNS 8000000u

int main(void)
{
    volatile uint32_t counter = 0;

    for (uint32_t i = 0; i < SPIN_TURNS; i++)
        counter = counter + 1;
    return 0;
}
