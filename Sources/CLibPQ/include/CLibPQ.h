#ifndef IQL_CLIBPQ_H
#define IQL_CLIBPQ_H

// libpq's declarations (Debian's libpq-dev), but not its library: iql loads libpq when a
// connection is first made, so that every other run of iql starts without loading it and
// the fifteen libraries it needs (TLS, Kerberos, LDAP), which took a third of start-up.
#include <postgresql/libpq-fe.h>
#include <stddef.h>

#define IQL_PQ_FUNCTIONS \
    X(PQcancel) X(PQclear) X(PQconnectdbParams) X(PQconsumeInput) X(PQdb) X(PQerrorMessage) \
    X(PQexec) X(PQfinish) X(PQfname) X(PQfreeCancel) X(PQftype) X(PQgetCancel) X(PQgetResult) \
    X(PQgetisnull) X(PQgetlength) X(PQgetvalue) X(PQhost) X(PQisBusy) X(PQnfields) X(PQport) \
    X(PQputCopyData) X(PQputCopyEnd) X(PQresultErrorField) X(PQresultStatus) X(PQsendQuery) \
    X(PQsetNoticeProcessor) X(PQsetSingleRowMode) X(PQsocket) X(PQstatus)

/// The libpq functions iql calls, each found in the loaded library.
typedef struct {
#define X(name) __typeof__(&name) _Nonnull name;
    IQL_PQ_FUNCTIONS
#undef X
} iql_libpq;

/// Loads libpq (libpq.so.5) and fills `functions`; 0 on success, else -1 with the loader's
/// message in `error`.
int iql_libpq_load(iql_libpq *_Nonnull functions, char *_Nonnull error, size_t capacity);

#endif
