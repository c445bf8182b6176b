import IQLCore
/// Walks CSV bytes (RFC 4180: quoted fields, doubled quotes, CRLF, LF or lone CR line ends)
/// field by field, handing each field's bytes to a sink without copying unquoted ones.
package struct CSVScanner {
    /// A problem in the file's structure, with the 1-based line it is on.
    package struct Problem: Error {
        package var message: String
        package var line: Int
    }

    /// Receives fields and the end of each record.
    package protocol Sink {
        /// A field's bytes (unescaped), its 0-based column, and whether it was quoted.
        mutating func field(_ column: Int, _ bytes: UnsafeRawBufferPointer, quoted: Bool) throws(Problem)
        /// The end of a record of `fields` fields that started on `line`; `blank` for an empty line.
        /// Returns false to stop scanning.
        mutating func endRecord(fields: Int, line: Int, blank: Bool) throws(Problem) -> Bool
    }

    /// How often the scanner reports the bytes it has finished with.
    package static let releaseStep = 4 << 20

    /// Scans the buffer. `release`, if given, is told every few megabytes which bytes lie wholly
    /// behind the scan (offsets into `buffer`), so a mapped file's pages can be given back.
    package static func scan<S: Sink>(_ buffer: UnsafeRawBufferPointer, into sink: inout S,
                              release: ((Range<Int>) -> Void)? = nil) throws(Problem) {
        var i = 0
        let n = buffer.count
        var released = 0
        if n >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { i = 3 }
        var line = 1
        var scratch: [UInt8] = []
        while i < n {
            if let release, i - released >= releaseStep {
                release(released..<i)
                released = i
            }
            let recordLine = line
            var column = 0
            // An empty line: a null in a one-column file, nothing in a wider one.
            if buffer[i] == 0x0A || buffer[i] == 0x0D {
                i += (buffer[i] == 0x0D && i + 1 < n && buffer[i + 1] == 0x0A) ? 2 : 1
                line += 1
                if !(try sink.endRecord(fields: 0, line: recordLine, blank: true)) { return }
                continue
            }
            while true {
                if i < n, buffer[i] == 0x22 {
                    // Quoted field: copy it out, turning "" into ".
                    scratch.removeAll(keepingCapacity: true)
                    guard let (end, lines) = quotedField(buffer, at: i, into: &scratch) else {
                        throw Problem(message: "a quoted field is never closed", line: line)
                    }
                    i = end
                    line += lines
                    if i < n, buffer[i] != 0x2C, buffer[i] != 0x0A, buffer[i] != 0x0D {
                        throw Problem(message: "text after a closing quote", line: line)
                    }
                    let outcome = scratch.withUnsafeBytes { b -> Problem? in
                        do throws(Problem) {
                            try sink.field(column, b, quoted: true)
                            return nil
                        } catch {
                            return error
                        }
                    }
                    if let outcome { throw outcome }
                } else {
                    let start = i
                    // Eight bytes at a time to the first byte that could end the field; the
                    // byte loop below then decides exactly (most fields are a word or two).
                    while i &+ 8 <= n {
                        let stop = CSVScanner.specialBytes(buffer.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                        if stop != 0 {
                            i &+= stop.trailingZeroBitCount &>> 3
                            break
                        }
                        i &+= 8
                    }
                    while i < n {
                        let c = buffer[i]
                        if c == 0x2C || c == 0x0A || c == 0x0D { break }
                        if c == 0x22 { throw Problem(message: "a quote inside an unquoted field", line: line) }
                        i += 1
                    }
                    try sink.field(column, UnsafeRawBufferPointer(rebasing: buffer[start..<i]), quoted: false)
                }
                column += 1
                if i < n, buffer[i] == 0x2C {
                    i += 1
                    continue
                }
                // End of record: a line end or the end of the buffer.
                if i < n {
                    i += (buffer[i] == 0x0D && i + 1 < n && buffer[i + 1] == 0x0A) ? 2 : 1
                    line += 1
                }
                if !(try sink.endRecord(fields: column, line: recordLine, blank: false)) { return }
                break
            }
        }
        release?(released..<n)
    }

    /// Reads the quoted field whose opening quote is at `start`, appending its text unescaped
    /// (`""` is one quote) to `scratch`. Returns the offset just past the closing quote and how
    /// many line breaks the field holds, or nil if it is never closed.
    package static func quotedField(_ buffer: UnsafeRawBufferPointer, at start: Int,
                            into scratch: inout [UInt8]) -> (end: Int, lines: Int)? {
        let n = buffer.count
        var i = start + 1
        var lines = 0
        while i < n {
            let c = buffer[i]
            if c == 0x22 {
                if i + 1 < n, buffer[i + 1] == 0x22 {
                    scratch.append(0x22)
                    i += 2
                    continue
                }
                return (i + 1, lines)
            }
            if c == 0x0A || (c == 0x0D && !(i + 1 < n && buffer[i + 1] == 0x0A)) { lines += 1 }
            scratch.append(c)
            i += 1
        }
        return nil
    }

    /// A high bit in each byte of the word that is a comma, quote, LF or CR. Bytes above the
    /// first such byte can be marked wrongly (a borrow), so only the lowest mark is exact.
    @inline(__always)
    package static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func zeroBytes(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        return zeroBytes(w ^ (ones &* 0x2C)) | zeroBytes(w ^ (ones &* 0x22))
            | zeroBytes(w ^ (ones &* 0x0A)) | zeroBytes(w ^ (ones &* 0x0D))
    }
}
