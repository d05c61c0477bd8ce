#if defined(__linux__)
#define _GNU_SOURCE
#include <fcntl.h>
#endif

#include "CFileWriteback.h"

int attune_start_writeback(int descriptor, long long offset, long long length) {
#if defined(__linux__)
    return sync_file_range(descriptor, (off_t)offset, (off_t)length, SYNC_FILE_RANGE_WRITE);
#else
    (void)descriptor;
    (void)offset;
    (void)length;
    return 0;
#endif
}
