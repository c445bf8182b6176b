// zlib's gzip inflate over bytes held by Swift. In C because zlib's set-up calls are macros
// (inflateInit2) that Swift cannot import.
#include "CBundledData.h"

#include <stdint.h>
#include <zlib.h>

size_t iql_gzip_inflated_size(const unsigned char *gz, size_t size) {
    if (size < 18) return 0;
    // ISIZE: the last four bytes of a gzip member, little-endian (the size modulo 2^32).
    const unsigned char *t = gz + size - 4;
    return (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
}

long iql_gzip_inflate(const unsigned char *gz, size_t size, unsigned char *out, size_t capacity) {
    z_stream s = {0};
    // 16 + MAX_WBITS: expect a gzip header and trailer, and check the CRC.
    if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK) return -1;
    s.next_in = (Bytef *)gz;
    s.avail_in = (uInt)size;
    s.next_out = out;
    s.avail_out = (uInt)capacity;
    int rc = inflate(&s, Z_FINISH);
    long written = (long)s.total_out;
    inflateEnd(&s);
    return rc == Z_STREAM_END ? written : -1;
}
