import IQLCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The one folder a host lets queries write files into (`Engine.outputDirectory`), and the
/// rules a file name must follow to land inside it: relative to it (or an absolute path
/// inside it), no `..`, no hidden names, no link that leads out. Files are written beside
/// their final name and renamed over it, so a link, a hard link or a pipe already at that
/// name is replaced, never written through.
package struct OutputFolder: Sendable {
    /// The folder with every link resolved.
    package let root: String

    /// The folder, if it exists and is a directory; nil otherwise.
    package init?(_ path: String) {
        guard let resolved = OutputFolder.realPath(path) else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        root = resolved
    }

    /// Where a name would be written, or why it may not be: the parent folder (links resolved,
    /// inside the root) and the file's own name.
    package func place(_ name: String) -> Result<(folder: String, file: String), Refusal> {
        let absolute = name.hasPrefix("/")
        let parts = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let file = parts.last else { return .failure(.outside) }
        if parts.contains("..") { return .failure(.parentStep) }
        let folderParts = parts.dropLast().filter { $0 != "." }
        let folderPath = (absolute ? "/" : root + "/") + folderParts.joined(separator: "/")
        guard let folder = OutputFolder.realPath(folderPath) else { return .failure(.noFolder) }
        guard folder == root || folder.hasPrefix(root.hasSuffix("/") ? root : root + "/") else { return .failure(.outside) }
        // Hidden names are looked for below the folder only: the folder itself may sit in one
        // (~/.cache/…), and an absolute name passes through it.
        let below = folder.dropFirst(root.count).split(separator: "/").map(String.init) + [file]
        if below.contains(where: { $0.hasPrefix(".") }) { return .failure(.hidden) }
        return .success((folder, file))
    }

    /// Why a name may not be written.
    package enum Refusal: Error {
        case outside, parentStep, hidden, noFolder

        package var reason: String {
            switch self {
            case .outside: return "it is outside the folder this engine may write into"
            case .parentStep: return "it climbs out of the folder with '..'"
            case .hidden: return "hidden names (starting with '.') are not written"
            case .noFolder: return "its folder does not exist"
            }
        }
    }

    /// Writes text to a name `place` accepted: to a new file beside it, then renamed over it.
    package func store(_ text: String, as name: String) throws(Diagnostic) {
        let target: (folder: String, file: String)
        switch place(name) {
        case .success(let t): target = t
        case .failure(let refusal):
            throw Diagnostic.error(.refusedFile(name, refusal.reason), at: nil)
        }
        let final = target.folder + "/" + target.file
        let temporary = target.folder + "/.\(target.file).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw unwritable(name) }
        var ok = true
        let bytes = Array(text.utf8)
        var written = 0
        while ok && written < bytes.count {
            let n = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return -1 }
                return write(fd, base + written, buffer.count - written)
            }
            if n > 0 { written += n } else if n < 0 && errno == EINTR { continue } else { ok = false }
        }
        ok = close(fd) == 0 && ok
        guard ok, rename(temporary, final) == 0 else {
            unlink(temporary)
            throw unwritable(name)
        }
    }

    private func unwritable(_ name: String) -> Diagnostic {
        Diagnostic.error(.chartUnwritable(name), at: nil,
                         notes: ["check that the folder can be written to and that the name is not a folder"])
    }

    package static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
