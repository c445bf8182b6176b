// The header's helpers are static inline; this file holds the guard that turns a fault on a
// mapped file that shrank underneath the loader into an error instead of SIGBUS.
#include "CLoaderSupport.h"

#if defined(__linux__) || defined(__APPLE__)
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define IQL_GUARD_SLOTS 64

// The regions being loaded. The handler reads them without locks (a signal may arrive at any
// time); begin/end change them under a mutex, storing the length last and clearing it first.
static _Atomic(uintptr_t) guard_base[IQL_GUARD_SLOTS];
static _Atomic(size_t) guard_length[IQL_GUARD_SLOTS];
static _Atomic(int) guard_faulted[IQL_GUARD_SLOTS];
static pthread_mutex_t guard_lock = PTHREAD_MUTEX_INITIALIZER;
static int guard_users = 0;
static struct sigaction previous_bus;

static void iql_bus_handler(int sig, siginfo_t *info, void *context) {
    uintptr_t address = (uintptr_t)info->si_addr;
    for (int i = 0; i < IQL_GUARD_SLOTS; i++) {
        size_t length = atomic_load(&guard_length[i]);
        uintptr_t base = atomic_load(&guard_base[i]);
        if (length == 0 || address < base || address >= base + length) continue;
        // Past the file's new end: map zero pages over the rest of the region, so the read
        // that faulted (and every later one) sees zeros; the loader reports the change.
        long page = sysconf(_SC_PAGESIZE);
        uintptr_t from = address & ~((uintptr_t)page - 1);
        uintptr_t end = base + length;
        if (mmap((void *)from, end - from, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) break;
        atomic_store(&guard_faulted[i], 1);
        return;
    }
    // Not ours: behave as the process did before the guard was installed.
    if (previous_bus.sa_flags & SA_SIGINFO) {
        if (previous_bus.sa_sigaction) { previous_bus.sa_sigaction(sig, info, context); return; }
    } else if (previous_bus.sa_handler != SIG_DFL && previous_bus.sa_handler != SIG_IGN) {
        previous_bus.sa_handler(sig);
        return;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

int iql_guard_begin(const void *base, size_t length) {
    pthread_mutex_lock(&guard_lock);
    int slot = -1;
    for (int i = 0; i < IQL_GUARD_SLOTS; i++) {
        if (atomic_load(&guard_length[i]) == 0) { slot = i; break; }
    }
    if (slot >= 0) {
        if (guard_users == 0) {
            struct sigaction action;
            memset(&action, 0, sizeof action);
            action.sa_sigaction = iql_bus_handler;
            action.sa_flags = SA_SIGINFO | SA_NODEFER;
            sigemptyset(&action.sa_mask);
            sigaction(SIGBUS, &action, &previous_bus);
        }
        guard_users++;
        atomic_store(&guard_faulted[slot], 0);
        atomic_store(&guard_base[slot], (uintptr_t)base);
        atomic_store(&guard_length[slot], length);
    }
    pthread_mutex_unlock(&guard_lock);
    return slot;
}

int iql_guard_end(int slot) {
    if (slot < 0 || slot >= IQL_GUARD_SLOTS) return 0;
    pthread_mutex_lock(&guard_lock);
    atomic_store(&guard_length[slot], 0);
    int faulted = atomic_load(&guard_faulted[slot]);
    if (--guard_users == 0) sigaction(SIGBUS, &previous_bus, NULL);
    pthread_mutex_unlock(&guard_lock);
    return faulted;
}
#else
int iql_guard_begin(const void *base, size_t length) { (void)base; (void)length; return -1; }
int iql_guard_end(int slot) { (void)slot; return 0; }
#endif
