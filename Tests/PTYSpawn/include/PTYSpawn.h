// Starts a program on a new pseudo-terminal, as a session leader with the terminal as its
// controlling tty, so the REPL tests see exactly what a person at a terminal would.
#ifndef PTYSPAWN_H
#define PTYSPAWN_H

#include <sys/types.h>

/// Runs `path` with `argv` and `envp` (NULL-terminated) on a new pty of the given size.
/// Returns the child's pid and stores the master fd in *master; -1 on failure.
pid_t pty_spawn(const char *path, char *const argv[], char *const envp[], int *master, int rows, int cols);

/// Sends a signal to a process (tests use it for nothing else).
int pty_kill(pid_t pid, int signo);

#endif
