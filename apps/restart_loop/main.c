/*
 * restart_loop: prints one line per life and asks the kernel to start it
 * again (exit-restart), forever. Each start gives the process a new
 * identity, so this app walks its slot through process-id generations;
 * tests/ktest/proc_generation.c starts it near the last one to show that
 * the kernel stops the slot there rather than reuse an old id.
 */
#include <stdio.h>

#include "userland/syscall.h"

int main(void)
{
    printf("restart_loop: life\n");
    tock_exit_restart(0);
}
