#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory, its pages read ahead into the page cache
/// (MADV_WILLNEED) so the parser's threads fault them in cheaply; not populated up front, which
/// would count the whole file as the process's memory.
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
        guard let p = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else { return nil }
        // Read ahead into the page cache, so faults while scanning are cheap.
        _ = madvise(p, length, MADV_WILLNEED)
        bytes = UnsafeRawBufferPointer(start: p, count: length)
    }

    /// Gives back the pages wholly inside a range of offsets once the parser is past them: the
    /// file stays in the page cache, but no longer counts as this process's memory.
    static func release(_ range: Range<Int>, of buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound / page * page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), length)
    }
}
