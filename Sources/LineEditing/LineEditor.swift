internal import CEditShim
internal import CLibEdit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An interactive line reader on libedit: prompts, Emacs (or ~/.editrc) key bindings, a
/// persistent history and Tab completion. No libedit type appears in its API.
///
/// Ctrl-C while editing does not raise SIGINT: it ends `readLine` with `.interrupted`, so the
/// caller can drop the pending input. Use it from one thread.
public final class LineEditor {
    /// What `readLine` returns.
    public enum Input: Equatable {
        /// A line, without its line break.
        case line(String)
        /// Ctrl-C: whatever was typed is dropped.
        case interrupted
        /// Ctrl-D on an empty line, or the input closed.
        case endOfFile
    }

    /// Called on Tab with the text before the cursor; returns how many characters the choice
    /// replaces and the candidates.
    public var completer: ((String) -> (replacing: Int, candidates: [String]))?

    private let editLine: OpaquePointer
    private let history: OpaquePointer?
    private let historyPath: String?
    private var promptBuffer: UnsafeMutablePointer<CChar>
    private var interrupted = false
    private var closed = false

    /// Opens the editor on the terminal. Returns nil if libedit cannot start (no terminal).
    /// The history file, if given, is loaded now and written after every `addHistory`.
    public init?(program: String, historyPath: String?, historySize: Int = 1000) {
        setlocale(LC_CTYPE, "")
        // libedit gives back its own idea of cooked mode, which this editor changes; the
        // terminal is handed back exactly as it was found.
        iql_tty_save()
        guard let el = iql_el_init(program) else { return nil }
        editLine = el
        history = iql_history_init(Int32(historySize))
        self.historyPath = historyPath
        promptBuffer = strdup("") ?? UnsafeMutablePointer<CChar>.allocate(capacity: 1)

        iql_el_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
        iql_el_set_editor(el, "emacs")
        if let history { iql_el_set_history(el, history) }
        iql_el_set_prompt(el) { el in
            guard let el, let data = iql_el_get_clientdata(el) else { return nil }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().promptBuffer
        }
        iql_el_add_function(el, "iql-complete", "complete the word before the cursor") { el, _ in
            guard let el, let data = iql_el_get_clientdata(el) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().complete()
        }
        iql_el_add_function(el, "iql-interrupt", "drop the input") { el, _ in
            guard let el, let data = iql_el_get_clientdata(el) else { return UInt8(CC_ERROR) }
            Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().interrupted = true
            // As bash and psql do: the abandoned line stays on screen marked ^C, and the next
            // prompt starts on a line of its own. The pushed line break goes through libedit's
            // own newline, which moves below the text however long it is.
            if let info = el_line(el)?.pointee, let cursor = info.cursor, let last = info.lastchar {
                _ = el_cursor(el, Int32(clamping: last - cursor))
            }
            _ = el_insertstr(el, "^C")
            el_push(el, "\n")
            return UInt8(CC_REFRESH)
        }
        iql_el_bind(el, "^I", "iql-complete")
        iql_el_bind(el, "^C", "iql-interrupt")
        iql_el_disable_tty_signals(el)
        iql_el_use_interruptible_reader(el)
        // The user's ~/.editrc comes last so it can change any of the above.
        _ = iql_el_source_user(el)

        if let history, let historyPath {
            _ = iql_history_load(history, historyPath)
        }
    }

    deinit {
        close()
        if let history { history_end(history) }
        free(promptBuffer)
    }

    /// Ends editing and restores the terminal's settings; the editor reads no more lines after.
    public func close() {
        guard !closed else { return }
        closed = true
        el_end(editLine)
        iql_tty_restore()
    }

    /// Shows the prompt and reads one line.
    public func readLine(prompt: String) -> Input {
        if closed { return .endOfFile }
        free(promptBuffer)
        promptBuffer = strdup(prompt) ?? UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        interrupted = false
        var count: Int32 = 0
        iql_bracketed_paste(1)
        let raw = el_gets(editLine, &count)
        iql_bracketed_paste(0)
        // Checked first: Ctrl-C on an empty line makes el_gets return NULL, as end of input does.
        if interrupted {
            interrupted = false
            return .interrupted
        }
        guard let raw else {
            // Start the shell's next prompt on a clean line.
            iql_stdout_write("\n")
            return .endOfFile
        }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// The first character (other than spaces) of input already waiting, pasted or typed ahead,
    /// or nil if none waits: the caller can read on before acting on the line it has, as pasted
    /// text is one script, not many.
    public var waitingInputStart: Character? {
        guard !closed else { return nil }
        let c = iql_input_waiting_start()
        return c > 0 && c < 0x80 ? Character(Unicode.Scalar(UInt8(c))) : nil
    }

    /// Adds an entry (a multi-line one stays one entry) and saves the history file, mode 0600.
    public func addHistory(_ entry: String) {
        guard let history, !entry.isEmpty else { return }
        _ = iql_history_enter(history, entry)
        guard let historyPath else { return }
        // Create it private before libedit writes it, so it is never readable by others.
        let fd = open(historyPath, O_WRONLY | O_CREAT, 0o600)
        #if canImport(Glibc)
        if fd >= 0 { Glibc.close(fd) }
        #elseif canImport(Darwin)
        if fd >= 0 { Darwin.close(fd) }
        #endif
        _ = iql_history_save(history, historyPath)
        chmod(historyPath, 0o600)
    }

    /// The history, oldest first.
    public var historyEntries: [String] {
        guard let history else { return [] }
        let n = Int(iql_history_count(history))
        return (0..<n).compactMap { i in iql_history_entry(history, Int32(i)).map { String(cString: $0) } }
    }

    // MARK: - Completion

    private func complete() -> UInt8 {
        guard let completer, let info = el_line(editLine)?.pointee, let buffer = info.buffer,
              let cursor = info.cursor else { return UInt8(CC_ERROR) }
        let before = UnsafeRawBufferPointer(start: buffer, count: cursor - buffer)
        let text = String(decoding: before, as: UTF8.self)
        let (replacing, candidates) = completer(text)
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let typed = String(text.suffix(replacing))
        var prefix = candidates[0]
        for c in candidates.dropFirst() { while !c.hasPrefix(prefix) { prefix.removeLast() } }
        if candidates.count == 1 || prefix.count > typed.count {
            el_deletestr(editLine, Int32(replacing))
            _ = el_insertstr(editLine, prefix)
            return UInt8(CC_REFRESH)
        }
        iql_stdout_write("\n" + Self.columns(candidates, width: Self.terminalColumns))
        return UInt8(CC_REDISPLAY)
    }

    /// Candidates laid out in columns across the terminal.
    static func columns(_ items: [String], width: Int) -> String {
        let cell = (items.map(\.count).max() ?? 0) + 2
        let perLine = max(1, width / max(cell, 1))
        var out = ""
        for (i, item) in items.enumerated() {
            let last = i % perLine == perLine - 1 || i == items.count - 1
            out += last ? item + "\n" : item + String(repeating: " ", count: cell - item.count)
        }
        return out
    }

    /// Width of the terminal on standard output, or 80.
    public static var terminalColumns: Int {
        let c = Int(iql_terminal_columns(1))
        return c > 0 ? c : 80
    }

    /// Height of the terminal on standard output, or 24.
    public static var terminalRows: Int {
        let r = Int(iql_terminal_rows(1))
        return r > 0 ? r : 24
    }
}

/// Catches Ctrl-C while a command runs (outside line editing, the terminal sends SIGINT), so a
/// long query can be cancelled without the process exiting.
public enum InterruptMonitor {
    /// Installs the SIGINT handler; it only records that the signal came.
    public static func install() { iql_sigint_install() }

    /// True, once, if Ctrl-C was pressed since the last call.
    public static func takeInterrupt() -> Bool { iql_sigint_take() != 0 }
}
