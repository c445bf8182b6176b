/// Script text from bytes, refusing what is not UTF-8 instead of replacing it silently.
package enum SourceDecoding {
    /// The bytes as a source file; with invalid UTF-8, the text (bad bytes replaced, so the
    /// file can still be shown) and a diagnostic pointing at the first bad byte.
    package static func decode(_ bytes: some Collection<UInt8>, name: String) -> (SourceFile, Diagnostic?) {
        // Validating while decoding is one pass; only invalid text pays for finding the bad byte.
        if let valid = String(validating: bytes, as: UTF8.self) { return (SourceFile(name: name, text: valid), nil) }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let bad = firstInvalidOffset(bytes) else { return (SourceFile(name: name, text: text), nil) }
        // Up to the bad byte the text is the bytes themselves, so the offset carries over; the
        // replacement character there is three bytes long.
        let diagnostic = Diagnostic(.error, .sourceNotUTF8, at: SourceRange(start: bad, end: bad + 3),
                                    label: "byte \(bytes.dropFirst(bad).first.map { "0x" + String($0, radix: 16, uppercase: true) } ?? "") here",
                                    notes: ["save the file as UTF-8"])
        return (SourceFile(name: name, text: text), diagnostic)
    }

    /// Offset of the first byte that does not begin a valid UTF-8 sequence; nil if all are valid.
    package static func firstInvalidOffset(_ bytes: some Collection<UInt8>) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
