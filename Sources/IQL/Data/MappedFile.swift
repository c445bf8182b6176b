#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory with its pages loaded up front (MAP_POPULATE), so the
/// parser's threads do not take turns faulting them in.
final class MappedFile {
    let bytes: UnsafeRawBufferPointer
    private let length: Int

    /// Maps a regular file; nil for anything that cannot be mapped (a pipe, an empty file).
    init?(path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { return nil }
        length = Int(info.st_size)
        #if canImport(Glibc)
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let p = mmap(nil, length, PROT_READ, flags, fd, 0), p != MAP_FAILED else { return nil }
        bytes = UnsafeRawBufferPointer(start: p, count: length)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), length)
    }
}
