#ifndef ATTUNE_CMIMALLOC_SHIM_H
#define ATTUNE_CMIMALLOC_SHIM_H

#include <mimalloc.h>

/// Makes mimalloc return freed memory to the system at once rather than after a delay (25 ms by
/// default, 10 ms from 2.1). The option was renamed in mimalloc 2.1 (Debian 12 has 2.0.9).
static inline void attune_mimalloc_return_freed_memory_at_once(void) {
#if MI_MALLOC_VERSION >= 210
    mi_option_set(mi_option_purge_delay, 0);
#else
    mi_option_set(mi_option_decommit_delay, 0);
#endif
}

#endif
