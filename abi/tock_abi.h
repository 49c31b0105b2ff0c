/*
 * The Tock 2.x system call ABI as numbers: syscall classes, return variants,
 * error codes, yield and exit identifiers, memop operations.
 *
 * This header is the contract between the kernel (kernel/syscall.c) and the
 * userland runtime (userland/): both include it and nothing else defines
 * these values. Pure constants, usable from C and assembly; no types.
 * Source of truth: Tock's TRD104 and memop.md (see docs/abi.md).
 */
#ifndef ABI_TOCK_ABI_H
#define ABI_TOCK_ABI_H

/* Syscall classes: the immediate of the `svc` instruction. */
#define SYSCALL_YIELD                0
#define SYSCALL_SUBSCRIBE            1
#define SYSCALL_COMMAND              2
#define SYSCALL_ALLOW_RW             3
#define SYSCALL_ALLOW_RO             4
#define SYSCALL_MEMOP                5
#define SYSCALL_EXIT                 6
#define SYSCALL_ALLOW_USERSPACE_READ 7

/* Return variants, written to r0. */
#define RET_FAILURE         0
#define RET_FAILURE_U32     1
#define RET_FAILURE_2U32    2
#define RET_FAILURE_U64     3
#define RET_SUCCESS         128
#define RET_SUCCESS_U32     129
#define RET_SUCCESS_2U32    130
#define RET_SUCCESS_U64     131
#define RET_SUCCESS_3U32    132
#define RET_SUCCESS_U32_U64 133

/* Error codes (r1 of a failure, or an upcall's status argument; 0 = success). */
#define TOCK_SUCCESS      0
#define TOCK_EFAIL        1
#define TOCK_EBUSY        2
#define TOCK_EALREADY     3
#define TOCK_EOFF         4
#define TOCK_ERESERVE     5
#define TOCK_EINVAL       6
#define TOCK_ESIZE        7
#define TOCK_ECANCEL      8
#define TOCK_ENOMEM       9
#define TOCK_ENOSUPPORT   10
#define TOCK_ENODEVICE    11
#define TOCK_EUNINSTALLED 12
#define TOCK_ENOACK       13
#define TOCK_EBADRVAL     1024 /* userspace only: unexpected return variant */

/* Yield identifiers (r0 of a yield). */
#define YIELD_NO_WAIT  0
#define YIELD_WAIT     1
#define YIELD_WAIT_FOR 2

/* Exit identifiers (r0 of an exit). */
#define EXIT_TERMINATE 0
#define EXIT_RESTART   1

/* Memop operations (r0 of a memop). */
#define MEMOP_BRK          0
#define MEMOP_SBRK         1
#define MEMOP_RAM_START    2
#define MEMOP_RAM_END      3
#define MEMOP_FLASH_START  4
#define MEMOP_FLASH_END    5
#define MEMOP_GRANT_START  6
#define MEMOP_WFLASH_COUNT 7
#define MEMOP_WFLASH_START 8
#define MEMOP_WFLASH_END   9
#define MEMOP_STACK_TOP    10
#define MEMOP_HEAP_START   11

/* Driver numbers of the capsules this kernel offers. */
#define DRIVER_ALARM     0x0
#define DRIVER_CONSOLE   0x1
#define DRIVER_LLDEBUG   0x8
#define DRIVER_NVSTORAGE 0x50004

/* Isolated nonvolatile storage (driver 0x50004), see docs/nvstorage.md. */
#define NVS_CMD_EXISTS      0
#define NVS_CMD_GET_SIZE    1
#define NVS_CMD_READ        2
#define NVS_CMD_WRITE       3
#define NVS_UPCALL_GET_SIZE 0
#define NVS_UPCALL_READ     1
#define NVS_UPCALL_WRITE    2
#define NVS_ALLOW_RW_READ   0
#define NVS_ALLOW_RO_WRITE  0

#endif /* ABI_TOCK_ABI_H */
