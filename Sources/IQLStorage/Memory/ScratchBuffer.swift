import IQLCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Uninitialised working memory for one operator run, freed when the run ends. A large one
/// (tens of megabytes for `latest` over millions of rows) is mapped on its own and asks Linux
/// for 2 MB pages: every 4 KB page of fresh memory otherwise costs a fault the first time it
/// is written, and on a virtual machine those faults took as long as the work itself.
package struct ScratchBuffer<Element: BitwiseCopyable>: ~Copyable {
    package let buffer: UnsafeMutableBufferPointer<Element>
    /// The whole mapping, when the memory was mapped rather than allocated.
    private let mapping: (start: UnsafeMutableRawPointer, length: Int)?

    /// Below this many bytes the allocator's own memory is used.
    package static var hugeThreshold: Int { 4 << 20 }

    package init(count: Int) {
        let n = max(1, count)
        let (bytes, overflow) = n.multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
        #if os(Linux)
        let huge = 2 << 20
        if !overflow, bytes >= ScratchBuffer.hugeThreshold, bytes <= Int.max - huge,
           let start = mmap(nil, bytes + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
           start != MAP_FAILED {
            // Aligned to 2 MB inside a mapping 2 MB longer, so every 2 MB of it can be one page.
            let aligned = (Int(bitPattern: start) + huge - 1) / huge * huge
            let base = start + (aligned - Int(bitPattern: start))
            _ = madvise(base, bytes, MADV_HUGEPAGE)
            mapping = (start, bytes + huge)
            buffer = UnsafeMutableBufferPointer(start: base.bindMemory(to: Element.self, capacity: n), count: n)
            return
        }
        #endif
        mapping = nil
        buffer = .allocate(capacity: n)
    }

    deinit {
        if let mapping {
            munmap(mapping.start, mapping.length)
        } else {
            buffer.deallocate()
        }
    }
}
