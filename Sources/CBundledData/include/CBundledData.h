#ifndef IQL_CBUNDLEDDATA_H
#define IQL_CBUNDLEDDATA_H

#include <stddef.h>

/// The size of the embedded indicators CSV once decompressed (from the gzip trailer).
size_t iql_indicators_csv_size(void);

/// Decompresses the embedded indicators CSV into `out`, which holds `capacity` bytes.
/// Returns the number of bytes written, or -1 if the data is damaged or does not fit.
long iql_indicators_csv_inflate(unsigned char *out, size_t capacity);

#endif
