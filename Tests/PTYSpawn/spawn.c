#include "PTYSpawn.h"

#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

pid_t pty_spawn(const char *path, char *const argv[], char *const envp[], int *master, int rows, int cols) {
    struct winsize ws = {0};
    ws.ws_row = (unsigned short)rows;
    ws.ws_col = (unsigned short)cols;
    pid_t pid = forkpty(master, NULL, NULL, &ws);
    if (pid == 0) {
        // Start the program as a shell would: no signals blocked, default handlers.
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGINT, SIG_DFL);
        execve(path, argv, envp);
        _exit(127);
    }
    return pid;
}

int pty_kill(pid_t pid, int signo) { return kill(pid, signo); }
