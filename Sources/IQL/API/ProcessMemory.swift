import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
import CLoaderSupport

/// Process-wide memory settings a host may choose; the library never applies them itself.
public enum ProcessMemory {
    /// Has the C allocator (glibc's malloc) keep memory freed by one query for the next,
    /// including blocks of more than 32 MB, which it would otherwise map afresh for each use
    /// and unmap when freed. A vector over 4 million rows is such a block; faulting its pages
    /// in again on every query cost a join over 4M rows 135 ms where it needs 35–55.
    /// Every thread allocates from one arena, so memory a query's work on a second core
    /// frees is reused too (`summarize` by phase over 4M rows: 92 to 65–73 ms).
    /// The process keeps up to 512 MB it no longer uses instead of returning it at once.
    /// The `iql` tool calls this at start; an embedding host decides for its own process.
    public static func keepFreedMemory() {
        iql_keep_freed_memory(256 << 20, 512 << 20)
    }
}
