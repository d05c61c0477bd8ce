#define _GNU_SOURCE
#include "CPluginSpawn.h"

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

int attune_pipe_cloexec(int descriptors[2]) {
#if defined(__linux__)
    return pipe2(descriptors, O_CLOEXEC);
#else
    if (pipe(descriptors) != 0) return -1;
    fcntl(descriptors[0], F_SETFD, FD_CLOEXEC);
    fcntl(descriptors[1], F_SETFD, FD_CLOEXEC);
    return 0;
#endif
}

int attune_spawn_chdir(void *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np((posix_spawn_file_actions_t *)actions, path);
}

int attune_spawn_close_from(void *actions, void *attributes, int lowest) {
#if defined(__linux__)
    (void)attributes;
    return posix_spawn_file_actions_addclosefrom_np((posix_spawn_file_actions_t *)actions, lowest);
#else
    // Darwin: every descriptor not named in the file actions is closed in the child.
    (void)actions;
    (void)lowest;
    short flags = 0;
    posix_spawnattr_getflags((posix_spawnattr_t *)attributes, &flags);
    return posix_spawnattr_setflags((posix_spawnattr_t *)attributes, flags | POSIX_SPAWN_CLOEXEC_DEFAULT);
#endif
}
