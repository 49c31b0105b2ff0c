/*
 * newlib glue: the system calls newlib's libc expects (built with
 * --disable-newlib-supplied-syscalls), mapped onto Tock.
 *
 *   _write   stdout/stderr -> console, whole buffer, synchronously
 *   _read    stdin <- console
 *   _sbrk    memop sbrk: malloc grows the heap by moving the app break
 *   _exit    exit-terminate with the status
 * The rest answer as a system without files would. Streams 0-2 claim to be
 * terminals, which makes newlib line-buffer stdout: each printf'd line
 * reaches the console in one write.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "userland/console.h"
#include "userland/syscall.h"

/* newlib calls these; they have no header of their own. */
int _write(int fd, const void *buf, size_t len);
int _read(int fd, void *buf, size_t len);
void *_sbrk(ptrdiff_t incr);
__attribute__((noreturn)) void _exit(int status);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
off_t _lseek(int fd, off_t offset, int whence);
int _kill(pid_t pid, int sig);
pid_t _getpid(void);

/* The one process id we report (there is no other process to name). */
#define SYS_PID 1

static int sys_is_console(int fd)
{
    return fd == STDIN_FILENO || fd == STDOUT_FILENO || fd == STDERR_FILENO;
}

int _write(int fd, const void *buf, size_t len)
{
    if (fd != STDOUT_FILENO && fd != STDERR_FILENO) {
        errno = EBADF;
        return -1;
    }
    if (tock_console_write(buf, len) != TOCK_SUCCESS) {
        errno = EIO;
        return -1;
    }
    return (int)len;
}

int _read(int fd, void *buf, size_t len)
{
    if (fd != STDIN_FILENO) {
        errno = EBADF;
        return -1;
    }
    size_t got = 0;
    if (len > 0 && tock_console_read(buf, len, &got) != TOCK_SUCCESS) {
        errno = EIO;
        return -1;
    }
    return (int)got;
}

void *_sbrk(ptrdiff_t incr)
{
    uint32_t old_break;
    if (tock_status_u32(tock_memop(MEMOP_SBRK, (uint32_t)incr), &old_break) != TOCK_SUCCESS) {
        errno = ENOMEM;
        return (void *)-1;
    }
    return (void *)old_break;
}

void _exit(int status)
{
    tock_exit_terminate((uint32_t)status);
}

int _close(int fd)
{
    (void)fd;
    errno = EBADF;
    return -1;
}

int _fstat(int fd, struct stat *st)
{
    if (!sys_is_console(fd)) {
        errno = EBADF;
        return -1;
    }
    *st = (struct stat){.st_mode = S_IFCHR};
    return 0;
}

int _isatty(int fd)
{
    if (sys_is_console(fd)) {
        return 1;
    }
    errno = EBADF;
    return 0;
}

off_t _lseek(int fd, off_t offset, int whence)
{
    (void)fd;
    (void)offset;
    (void)whence;
    errno = ESPIPE;
    return -1;
}

int _kill(pid_t pid, int sig)
{
    (void)pid;
    (void)sig;
    errno = EINVAL;
    return -1;
}

pid_t _getpid(void)
{
    return SYS_PID;
}
