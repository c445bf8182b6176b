#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Facts about where output goes, and plain writes to it.
enum Terminal {
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Colour when the stream is a terminal, `NO_COLOR` is unset and `TERM` is not `dumb`.
    static func wantsColor(_ fd: Int32) -> Bool {
        guard isTerminal(fd) else { return false }
        if let v = getenv("NO_COLOR"), v.pointee != 0 { return false }
        if let t = getenv("TERM"), String(cString: t) == "dumb" { return false }
        return true
    }

    static func write(_ s: String, to fd: Int32) {
        let bytes = Array(s.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buf -> Int in
                guard let base = buf.baseAddress else { return -1 }
                #if canImport(Glibc)
                return Glibc.write(fd, base + offset, buf.count - offset)
                #elseif canImport(Darwin)
                return Darwin.write(fd, base + offset, buf.count - offset)
                #else
                return -1
                #endif
            }
            // A closed pipe (`iql … | head`) ends output quietly rather than looping.
            if n <= 0 { return }
            offset += n
        }
    }

    static func out(_ s: String) { write(s, to: 1) }
    static func err(_ s: String) { write(s, to: 2) }
}
