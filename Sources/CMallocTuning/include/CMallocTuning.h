// glibc's mallopt, which Swift's Glibc module does not show (<malloc.h> is not in it).
#ifndef ATTUNE_CMALLOCTUNING_H
#define ATTUNE_CMALLOCTUNING_H

/// Fixes glibc's mmap threshold at `bytes` (no longer raised as large blocks are freed); 1 when
/// set, 0 where glibc refused it or the C library is not glibc.
int attune_fix_mmap_threshold(int bytes);

#endif
