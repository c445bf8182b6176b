#ifndef IQL_CBUNDLEDDATA_H
#define IQL_CBUNDLEDDATA_H

#include <stddef.h>

/// The size of a gzip member's data once inflated (from its trailer), or 0 if it is too short.
size_t iql_gzip_inflated_size(const unsigned char *gz, size_t size);

/// Inflates a gzip member into `out`, which holds `capacity` bytes. Returns the number of bytes
/// written, or -1 if the data is damaged or does not fit.
long iql_gzip_inflate(const unsigned char *gz, size_t size, unsigned char *out, size_t capacity);

#endif
