import Foundation
import IQL

/// A script as the shell reads it: IQL text, with dot commands on lines of their own between
/// statements, as sqlite3 and DuckDB accept theirs in piped input and `.read` files.
///
/// A line is a dot command when it starts (after spaces) with `.` and a letter and the IQL
/// before it is complete, so a continuation line such as `.5)` inside an unfinished statement
/// stays IQL.
struct ScriptSegments {
    enum Segment: Equatable {
        /// IQL text, padded with blank lines in front so its line numbers are the file's.
        case code(String)
        /// A dot command line, trimmed, and its line number (from 1).
        case dot(String, line: Int)
    }

    let segments: [Segment]

    var hasDotCommands: Bool {
        segments.contains { if case .dot = $0 { true } else { false } }
    }

    init(_ text: String) {
        // Most scripts have no dot command: one pass over the bytes says so, without splitting
        // a long script into lines (a 10 MB script has 100,000 of them).
        guard ScriptSegments.mayHoldDotCommand(text) else {
            segments = text.allSatisfy(\.isWhitespace) ? [] : [.code(text)]
            return
        }
        var segments: [Segment] = []
        var code: [Substring] = []
        // Lines before the current code segment, kept as blank lines.
        var skipped = 0
        var lineNumber = 0
        func flushCode() {
            let body = code.joined(separator: "\n")
            if !body.allSatisfy({ $0.isWhitespace }) {
                segments.append(.code(String(repeating: "\n", count: skipped) + body))
            }
            skipped += code.count
            code = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.first == ".", let second = trimmed.dropFirst().first, second.isLetter,
               !Engine.needsMoreInput(code.joined(separator: "\n")) {
                flushCode()
                segments.append(.dot(String(trimmed).trimmingCharacters(in: .whitespacesAndNewlines), line: lineNumber))
                skipped += 1
            } else {
                code.append(line)
            }
        }
        flushCode()
        self.segments = segments
    }

    /// Whether some line starts (after spaces and tabs) with `.` and a letter: a look at the
    /// start of each line, found with memchr, so a long script costs about one pass of memory.
    static func mayHoldDotCommand(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { b -> Bool in
            guard let base = b.baseAddress else { return false }
            var i = 0
            while i < b.count {
                var j = i
                while j < b.count, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
                if j + 1 < b.count, b[j] == 0x2E, (b[j + 1] | 0x20) >= 0x61, (b[j + 1] | 0x20) <= 0x7A { return true }
                guard let newline = memchr(base + j, 0x0A, b.count - j) else { return false }
                i = UnsafeRawPointer(newline) - UnsafeRawPointer(base) + 1
            }
            return false
        }
    }

    /// The IQL alone, each dot command line left blank, for checking a script without running it.
    static func codeOnly(_ text: String) -> String {
        let s = ScriptSegments(text)
        guard s.hasDotCommands else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for case .dot(_, let line) in s.segments where line - 1 < lines.count { lines[line - 1] = "" }
        return lines.joined(separator: "\n")
    }
}
