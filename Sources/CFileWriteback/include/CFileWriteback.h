// Linux's sync_file_range, which Swift's Glibc module does not show (it needs _GNU_SOURCE).
#ifndef ATTUNE_CFILEWRITEBACK_H
#define ATTUNE_CFILEWRITEBACK_H

/// Starts writing `length` bytes of `descriptor` from `offset` to disk without waiting for them,
/// so that a later fsync has less left to wait for. 0 when started, -1 (errno set) when the
/// system refused, and 0 doing nothing where sync_file_range does not exist.
int attune_start_writeback(int descriptor, long long offset, long long length);

#endif
