import IQLCore
import CLoaderSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory, its pages read ahead into the page cache
/// (MADV_WILLNEED) so the parser's threads fault them in cheaply; not populated up front, which
/// would count the whole file as the process's memory.
package final class MappedFile {
    package let bytes: UnsafeRawBufferPointer
    private let length: Int
    private let path: String
    /// The file as it was when mapped, to tell afterwards whether it changed while read.
    private let identity: [Int]

    /// Maps a regular file; nil for anything that cannot be mapped (a pipe, an empty file).
    package init?(path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { return nil }
        length = Int(info.st_size)
        self.path = path
        identity = MappedFile.identity(info)
        guard let p = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else { return nil }
        // Read ahead into the page cache, so faults while scanning are cheap.
        _ = madvise(p, length, MADV_WILLNEED)
        bytes = UnsafeRawBufferPointer(start: p, count: length)
    }

    /// Runs `body` over the bytes with the guard on: if another program truncates the file
    /// meanwhile, reads past its new end see zeros instead of killing the process with
    /// SIGBUS. Returns nil (and `changed` true) when the file shrank or was rewritten while
    /// `body` ran, so what it read is not one version of the file. `body` runs unguarded only
    /// when 64 loads are already guarded, and then the file is checked afterwards as well.
    package func guarded<T>(_ body: (UnsafeRawBufferPointer) throws(IQLError) -> T) throws(IQLError) -> T? {
        let slot = iql_guard_begin(bytes.baseAddress, length)
        let result: Result<T, IQLError>
        do throws(IQLError) { result = .success(try body(bytes)) } catch { result = .failure(error) }
        let faulted = iql_guard_end(slot) != 0
        var now = stat()
        let same = stat(path, &now) == 0 && MappedFile.identity(now) == identity
        if faulted || !same { return nil }
        return try result.get()
    }

    private static func identity(_ info: stat) -> [Int] {
        #if canImport(Glibc)
        return [Int(info.st_dev), Int(info.st_ino), Int(info.st_size), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
        #else
        return [Int(info.st_dev), Int(info.st_ino), Int(info.st_size), Int(info.st_mtimespec.tv_sec), Int(info.st_mtimespec.tv_nsec)]
        #endif
    }

    /// Gives back the file's memory behind the parser: the file stays in the page cache, but
    /// no longer counts as this process's memory. Whole 2 MiB spans only, each once its end is
    /// passed (the start is rounded down, the end down): the kernel maps a file's page cache
    /// in huge pages where it can, and giving back part of one splits it, a lock and a TLB
    /// flush on every core, which at a megabyte a call was a fifth of a one-shot query's
    /// time. Bytes before `range` may be given back as well; a read of them after that maps
    /// them again from the page cache, so it only costs a fault.
    package static func release(_ range: Range<Int>, of buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        let span = max(releaseSpan, Int(sysconf(Int32(_SC_PAGESIZE))))
        // Addresses, not offsets: the mapping itself is only page-aligned.
        let address = Int(bitPattern: base)
        // The mapping starts on a page, so the first span may be cut short there.
        let start = max((address + range.lowerBound) / span * span, address)
        let end = (address + range.upperBound) / span * span
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_DONTNEED)
    }

    /// The unit `release` gives back in: a huge page on x86-64 and arm64 Linux.
    private static let releaseSpan = 2 << 20

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), length)
    }
}
