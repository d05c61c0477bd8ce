// What starting a process plugin needs beyond what Swift's Glibc module shows: glibc declares
// these only with _GNU_SOURCE, which a C file can define and an imported module cannot.
#ifndef ATTUNE_CPLUGINSPAWN_H
#define ATTUNE_CPLUGINSPAWN_H

/// pipe(2) with both ends close-on-exec from the start, so no other child inherits them.
int attune_pipe_cloexec(int descriptors[2]);

/// posix_spawn file actions: the child starts in `path`.
int attune_spawn_chdir(void *actions, const char *path);

/// posix_spawn file actions and attributes: the child gets no descriptor from `lowest` up.
int attune_spawn_close_from(void *actions, void *attributes, int lowest);

#endif
