// libpq, PostgreSQL's own client library: Debian's libpq-dev puts the header under
// /usr/include/postgresql, which pkg-config (libpq.pc) adds to the search path.
#include <libpq-fe.h>
