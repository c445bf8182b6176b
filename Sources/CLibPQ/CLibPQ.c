#include "CLibPQ.h"
#include <dlfcn.h>
#include <stdio.h>

int iql_libpq_load(iql_libpq *functions, char *error, size_t capacity) {
    void *library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(error, capacity, "%s", dlerror());
        return -1;
    }
    void *found;
#define X(name) \
    found = dlsym(library, #name); \
    if (!found) { snprintf(error, capacity, "libpq.so.5 lacks %s", #name); dlclose(library); return -1; } \
    functions->name = (__typeof__(&name))found;
    IQL_PQ_FUNCTIONS
#undef X
    return 0;
}
