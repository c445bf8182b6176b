import IQLCore
import CLoaderSupport
import Foundation
import Synchronization

/// Builds a `Table` from CSV: with a declared schema (bundled datasets) or by inferring each
/// column's type from its values. Nothing is dropped or altered silently: a row of the wrong
/// width or a value that does not fit its column is an error naming the file, line and column.
package enum CSVLoader {
    /// Markers DfE and ONS publish in place of a number (suppressed, not applicable, …).
    package static let suppressionMarkers: Set<String> = ["c", "x", "z", "low", "u", ":", "-", ".."]

    package static func load(_ bytes: some ContiguousBytes, file: String, schema declared: Schema? = nil,
                     timeColumn: String? = nil) throws(IQLError) -> Table {
        // withUnsafeBytes rethrows untyped errors, so the result travels in a Result.
        let result = bytes.withUnsafeBytes { buffer -> Result<Table, IQLError> in
            do throws(IQLError) {
                return .success(try load(buffer: buffer, file: file, schema: declared, timeColumn: timeColumn))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    package static func fail(_ message: DiagnosticMessage) -> IQLError {
        IQLError([.error(message, at: nil)], source: nil)
    }

    /// Rows read to choose each column's type before the full pass.
    package static let sampleRows = 20_000

    package static func load(buffer: UnsafeRawBufferPointer, file: String, schema declared: Schema? = nil,
                     timeColumn: String? = nil, parallel: Bool = true, releasePages: Bool = false,
                     blocks: Bool = true) throws(IQLError) -> Table {
        try loadReporting(buffer: buffer, file: file, schema: declared, timeColumn: timeColumn, parallel: parallel,
                          releasePages: releasePages, blocks: blocks).table
    }

    /// A row left out by a lenient load: its line and why.
    package struct SkippedRow: Sendable, Equatable {
        package var line: Int
        package var reason: String
    }

    /// The header's names with the types a sample of the rows suggests (text where the sample
    /// decides nothing): enough to check a query before the file is read, not to run one.
    package static func sampledSchema(buffer: UnsafeRawBufferPointer, file: String) throws(IQLError) -> Schema {
        var sample = SampleSink(limit: sampleRows)
        do {
            try CSVScanner.scan(buffer, into: &sample)
        } catch {
            throw fail(.csvStructure(file, line: error.line, error.message))
        }
        guard let header = sample.header else { throw fail(.emptyCSV(file)) }
        return Schema(columns: header.enumerated().map { i, raw in
            let tally = i < sample.tallies.count ? sample.tallies[i] : TypeTally()
            let type = tally.hasValues ? ((try? tally.type(column: "", file: "")) ?? .text) : .text
            return Schema.Field(name: raw.trimmingSpaces, type: type)
        })
    }

    /// `loadReporting(buffer:…)` over bytes held in memory (a string's, a `Data`'s): the
    /// loader's raw view of them stays inside this module.
    package static func loadReporting(bytes: some ContiguousBytes, file: String, timeColumn: String? = nil,
                                      lenient: Bool = false, dateOrder: DateOrder? = nil) throws(IQLError)
        -> (table: Table, skipped: [SkippedRow], textColumns: [TextColumn]) {
        // withUnsafeBytes rethrows untyped errors, so the result travels in a Result.
        let result = bytes.withUnsafeBytes { buffer -> Result<(table: Table, skipped: [SkippedRow], textColumns: [TextColumn]), IQLError> in
            do throws(IQLError) {
                return .success(try loadReporting(buffer: buffer, file: file, timeColumn: timeColumn, lenient: lenient,
                                                  dateOrder: dateOrder))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Loads a table; `lenient` leaves out rows with the wrong number of fields instead of
    /// failing, and says which. `blocks: false` reads field by field only (tests compare the two).
    /// `only`, if given, names the columns to build: the others are passed over (their fields
    /// still delimit the record, but no value is made) and are not in the table.
    package static func loadReporting(buffer: UnsafeRawBufferPointer, file: String, schema declared: Schema? = nil,
                              timeColumn: String? = nil, parallel: Bool = true, releasePages: Bool = false,
                              lenient: Bool = false, blocks: Bool = true, trimMemory: Bool = false,
                              only: Set<String>? = nil, dateOrder: DateOrder? = nil) throws(IQLError) -> (table: Table, skipped: [SkippedRow], textColumns: [TextColumn]) {
        var textColumns: [TextColumn] = []
        // A mapped file's pages are handed back behind the scan, so they never all count at once.
        let release: ((Range<Int>) -> Void)? = releasePages ? { MappedFile.release($0, of: buffer) } : nil
        // 1. The header and a sample of rows, as text.
        var sample = SampleSink(limit: declared == nil ? sampleRows : 0)
        do {
            try CSVScanner.scan(buffer, into: &sample)
        } catch {
            throw fail(.csvStructure(file, line: error.line, error.message))
        }
        guard let header = sample.header else { throw fail(.emptyCSV(file)) }
        if sample.headerHasInvalidUTF8 { throw fail(.headerNotUTF8(file)) }
        let names = header.map { $0.trimmingSpaces }
        var seen = Set<String>()
        for (i, name) in names.enumerated() {
            if name.isEmpty { throw fail(.unnamedColumn(file, i + 1)) }
            if !seen.insert(name).inserted { throw fail(.headerNamedTwice(file, name)) }
        }

        // 2. A builder per column, of the declared type or the type the sample shows.
        var kinds: [ColumnBuilder.Kind] = []
        for (i, name) in names.enumerated() {
            if let declared {
                guard declared.columns.count == names.count, declared.columns[i].name == name else {
                    throw fail(.headerDiffers(file, position: i + 1, found: name, declared: i < declared.columns.count ? declared.columns[i].name : "nothing"))
                }
                kinds.append(builderKind(for: declared.columns[i].type))
            } else {
                kinds.append(sampleKind(i < sample.tallies.count ? sample.tallies[i] : TypeTally(), dateOrder: dateOrder))
            }
        }
        let estimate = max(16, buffer.count / max(1, sample.bytesPerRow))
        let kept: Set<Int>? = only.map { wanted in Set(names.indices.filter { wanted.contains(names[$0]) }) }
        let ignored = Set(names.indices).subtracting(kept ?? Set(names.indices))
        // Lenient: one pass finds the records of the wrong width; the build passes skip them.
        var skip = Set<Int>(), skipped: [SkippedRow] = []
        if lenient {
            var shape = ShapeSink(width: names.count)
            do {
                try CSVScanner.scan(buffer, into: &shape)
            } catch {
                throw fail(.csvStructure(file, line: error.line, error.message))
            }
            skip = Set(shape.bad.map(\.record))
            skipped = shape.bad.map { SkippedRow(line: $0.line, reason: "\($0.fields) field\($0.fields == 1 ? "" : "s") where the header has \(names.count)") }
        }
        var build: BuildSink
        if blocks, skip.isEmpty, let built = buildInBlocks(buffer, kinds: kinds, strict: declared != nil, rowEstimate: estimate,
                                                           parallel: parallel, releasePages: releasePages, reading: kept,
                                                           trimMemory: trimMemory) {
            build = built
        } else {
            // One pass over the whole file; also the way to exact line numbers when a part failed.
            build = BuildSink(builders: kinds.indices.map { ColumnBuilder(kind: kinds[$0], capacity: ignored.contains($0) ? 0 : estimate) },
                              width: names.count, strict: declared != nil)
            build.skip = skip
            // Columns not to be read are passed over as a column that failed is.
            for c in ignored { build.failedColumns[c] = true }
            do {
                try CSVScanner.scan(buffer, into: &build, release: release)
            } catch {
                if let c = build.failure {
                    throw fail(.fieldDoesNotFit(file, line: error.line, column: names[c.column], text: c.text, type: declared?.columns[c.column].type.description ?? "value"))
                }
                throw fail(.csvStructure(file, line: error.line, error.message))
            }
        }

        // 3. Columns the sample misjudged: read their text again and infer from all of it.
        let builders = build.builders
        var invalidText = Set(builders.indices.filter { !build.failed.contains($0) && builders[$0].hasInvalidUTF8 })
        var columns = builders.map { $0.finish() }
        let failed = build.failed.subtracting(ignored)
        // In blocks (both cores) when the first pass could be; otherwise field by field.
        if blocks, skip.isEmpty, !failed.isEmpty,
           let text = buildInBlocks(buffer, kinds: kinds.map { _ in .raw }, strict: false, rowEstimate: estimate,
                                    parallel: parallel, releasePages: releasePages, reading: failed, trimMemory: trimMemory) {
            for c in failed.sorted() {
                let builder = text.store.pointer[c]
                if builder.hasInvalidUTF8 { invalidText.insert(c) }
                guard case .text(let codes, let dictionary) = builder.finish().storage else { continue }
                columns[c] = try column(fromCodes: codes, dictionary, name: names[c], file: file, dateOrder: dateOrder, textColumns: &textColumns)
            }
        } else {
            try rereadAsText(failed, buffer, skip: skip, release: release, names: names, file: file,
                             columns: &columns, invalidText: &invalidText, dateOrder: dateOrder, textColumns: &textColumns)
        }
        if !invalidText.isEmpty {
            // Text is never repaired silently: find the first bad field to say where it is.
            var check = UTF8CheckSink(columns: invalidText)
            try? CSVScanner.scan(buffer, into: &check)
            let (line, column) = check.found ?? (0, invalidText.min() ?? 0)
            throw fail(.fieldNotUTF8(file, line: line, column: names[column]))
        }
        for (c, kind) in kinds.enumerated() where kind == .raw && !build.failed.contains(c) && !ignored.contains(c) {
            // Undecided by the sample: type it from its distinct values.
            guard case .text(let codes, let dictionary) = columns[c].storage else { continue }
            columns[c] = try column(fromCodes: codes, dictionary, name: names[c], file: file, dateOrder: dateOrder, textColumns: &textColumns)
        }

        // Columns the sample made text at once: a few odd values among numbers or dates?
        if declared == nil {
            for (c, kind) in kinds.enumerated() where kind == .text && !ignored.contains(c) && c < sample.tallies.count {
                if let (example, odd, rest) = sample.tallies[c].fewOdd() {
                    textColumns.append(TextColumn(column: names[c], example: example, odd: odd, rest: rest))
                }
            }
        }
        var schemaColumns: [Schema.Field] = []
        var keptColumns: [Column] = []
        for (i, name) in names.enumerated() where !ignored.contains(i) {
            let type = declared?.columns[i].type ?? columnType(columns[i])
            schemaColumns.append(Schema.Field(name: name, type: type, summary: declared?.columns[i].summary))
            keptColumns.append(columns[i])
        }
        var time = declared?.timeColumn ?? timeColumn
        if let t = time, let i = names.firstIndex(of: t), ignored.contains(i) { time = nil }
        textColumns.sort { (names.firstIndex(of: $0.column) ?? 0) < (names.firstIndex(of: $1.column) ?? 0) }
        return (Table(schema: Schema(columns: schemaColumns, timeColumn: time), columns: keptColumns, rowCount: build.rows), skipped,
                textColumns)
    }

    /// Reads the given columns again as text, field by field, and types each from all its
    /// values (the fallback when the block reader cannot be used: a lenient load leaving rows out).
    private static func rereadAsText(_ failed: Set<Int>, _ buffer: UnsafeRawBufferPointer, skip: Set<Int>,
                                     release: ((Range<Int>) -> Void)?, names: [String], file: String,
                                     columns: inout [Column], invalidText: inout Set<Int>, dateOrder: DateOrder?,
                                     textColumns: inout [TextColumn]) throws(IQLError) {
        for c in failed.sorted() {
            var text = TextSink(column: c)
            text.skip = skip
            do {
                try CSVScanner.scan(buffer, into: &text, release: release)
            } catch {
                throw fail(.csvStructure(file, line: error.line, error.message))
            }
            if text.dictionary.hasInvalidUTF8 { invalidText.insert(c) }
            columns[c] = try column(fromCodes: text.codes.finish(), text.dictionary.build(), name: names[c], file: file,
                                    dateOrder: dateOrder, textColumns: &textColumns)
        }
    }

    /// Files smaller than this are read on one thread: splitting would cost more than it saves.
    package static let parallelThreshold = 8 << 20

    /// Reads the body a block of records at a time, in two halves on two threads when the file
    /// is large enough, and joins the results. Returns nil (so the caller reads the file field
    /// by field) for anything the block reader leaves to that reader: an error, which that
    /// reader then reports with its exact line.
    /// `reading`, if given, limits the work to those columns (the others' builders stay empty).
    private static func buildInBlocks(_ buffer: UnsafeRawBufferPointer, kinds: [ColumnBuilder.Kind], strict: Bool,
                                      rowEstimate: Int, parallel: Bool, releasePages: Bool,
                                      reading: Set<Int>? = nil, trimMemory: Bool = false) -> BuildSink? {
        let bodyStart = bodyStart(buffer)
        let body = bodyStart..<buffer.count
        guard parallel, buffer.count >= parallelThreshold, Halves.width > 1,
              let split = lineBoundary(buffer, after: bodyStart + body.count / 2) else {
            return buildInBlocks(buffer, parts: [body], kinds: kinds, strict: strict, rowEstimate: rowEstimate,
                                 releasePages: releasePages, reading: reading, trimMemory: trimMemory)
        }
        // The split is taken to be a record boundary without counting the quotes before it. If
        // it is not (the line break is inside a quoted field), the first half ends inside that
        // field, which it reports as never closed, and the split is then found by quote parity.
        if let built = buildInBlocks(buffer, parts: [bodyStart..<split, split..<buffer.count], kinds: kinds,
                                     strict: strict, rowEstimate: rowEstimate, releasePages: releasePages, reading: reading,
                                     trimMemory: trimMemory) {
            return built
        }
        guard let base = buffer.baseAddress, memchr(base + bodyStart, 0x22, body.count) != nil,
              let counted = recordBoundary(buffer, from: bodyStart, releasePages: releasePages), counted != split else { return nil }
        return buildInBlocks(buffer, parts: [bodyStart..<counted, counted..<buffer.count], kinds: kinds, strict: strict,
                             rowEstimate: rowEstimate, releasePages: releasePages, reading: reading, trimMemory: trimMemory)
    }

    /// Reads each part (a range of whole records) on its own thread and joins them in order.
    private static func buildInBlocks(_ buffer: UnsafeRawBufferPointer, parts: [Range<Int>], kinds: [ColumnBuilder.Kind],
                                      strict: Bool, rowEstimate: Int, releasePages: Bool, reading: Set<Int>?,
                                      trimMemory: Bool) -> BuildSink? {
        let width = kinds.count
        let base = UnsafeSendable(buffer)
        let results = Mutex<[BuildSink?]>(Array(repeating: nil, count: parts.count))
        let read: @Sendable (Int) -> Void = { i in
            let part = UnsafeRawBufferPointer(rebasing: base.value[parts[i]])
            // The first part's arrays get room for the whole file, so the second is appended
            // in place when the two are joined (reserved pages cost nothing until written).
            let capacity = i == 0 ? rowEstimate + rowEstimate / 16 + 16 : rowEstimate / 2 + 16
            var sink = BuildSink(builders: kinds.indices.map { c in
                                     ColumnBuilder(kind: kinds[c], capacity: reading.map { $0.contains(c) } ?? true ? capacity : 0)
                                 }, width: width, strict: strict, headerDone: true)
            // Columns not to be read are skipped as a column that failed is.
            if let reading { for c in 0..<width where !reading.contains(c) { sink.failedColumns[c] = true } }
            sink.rowEstimate = parts.count == 1 ? rowEstimate : rowEstimate / 2 + 16
            let offset = parts[i].lowerBound
            let ok = sink.readBlocks(part, release: releasePages ? { range in
                MappedFile.release((range.lowerBound + offset)..<(range.upperBound + offset), of: base.value)
            } : nil)
            if ok { results.withLock { $0[i] = sink } }
        }
        if parts.count == 1 {
            read(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: parts.count, execute: read)
        }
        // Take the parts out of the lock so the merge owns their arrays and appends in place
        // rather than copying them.
        var sinks = results.withLock { parts in
            let taken = parts
            parts = []
            return taken
        }
        guard let first = sinks.first, var merged = first else { return nil }
        for k in sinks.indices.dropFirst() {
            guard let next = sinks[k] else { return nil }
            sinks[k] = nil
            for c in 0..<width {
                merged.failedColumns[c] = merged.failedColumns[c] || next.failedColumns[c]
                if !merged.failedColumns[c], !merged.store.pointer[c].append(contentsOf: next.store.pointer[c]) {
                    merged.failedColumns[c] = true
                }
                // Each column of the later part is freed once joined, and handed back to the
                // system, so the two never all coexist.
                next.store.pointer[c] = ColumnBuilder(kind: kinds[c], capacity: 0)
                // Process-wide, so only where the host asked for it (Engine.trimsMemory).
                if trimMemory { iql_release_free_memory() }
            }
            merged.rows += next.rows
        }
        return merged
    }

    /// Where the first record after the header starts: past a byte-order mark, blank lines
    /// and the header record (honouring quotes); the end of the buffer if there is no body.
    private static func bodyStart(_ b: UnsafeRawBufferPointer) -> Int {
        var i = b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0
        while i < b.count, b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        return endOfFirstRecord(b, from: i) ?? b.count
    }

    /// Just past the first line feed at or after `start`, if that leaves something after it.
    private static func lineBoundary(_ b: UnsafeRawBufferPointer, after start: Int) -> Int? {
        guard let base = b.baseAddress, start < b.count, let lf = memchr(base + start, 0x0A, b.count - start) else { return nil }
        let next = base.distance(to: UnsafeRawPointer(lf)) + 1
        return next < b.count ? next : nil
    }

    /// Where the header record ends (after its line break), honouring quotes.
    private static func endOfFirstRecord(_ b: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var i = start
        var quoted = false
        while i < b.count {
            let c = b[i]
            if c == 0x22 { quoted.toggle() } else if !quoted && (c == 0x0A || c == 0x0D) {
                return i + ((c == 0x0D && i + 1 < b.count && b[i + 1] == 0x0A) ? 2 : 1)
            }
            i += 1
        }
        return nil
    }

    /// A record boundary near the middle of the body: the first line break after the middle
    /// that is outside quotes, judged by the parity of the quotes before it.
    private static func recordBoundary(_ b: UnsafeRawBufferPointer, from start: Int, releasePages: Bool) -> Int? {
        let middle = start + (b.count - start) / 2
        // Both cores count, a quarter of the file each: this is the one step before the split.
        let quarter = start + (middle - start) / 2
        let base = UnsafeSendable(b)
        let counts = Mutex<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let range = i == 0 ? start..<quarter : quarter..<middle
            var n = 0
            // A few megabytes at a time, handing back the pages counted: the scan that follows
            // maps them again one part at a time, so the file never counts whole.
            for chunk in stride(from: range.lowerBound, to: range.upperBound, by: CSVScanner.releaseStep) {
                let end = min(chunk + CSVScanner.releaseStep, range.upperBound)
                n += quoteCount(base.value, chunk..<end)
                if releasePages { MappedFile.release(chunk..<end, of: base.value) }
            }
            counts.withLock { $0 += n }
        }
        var quoted = counts.withLock { $0 } % 2 == 1
        var i = middle
        while i < b.count {
            let c = b[i]
            if c == 0x22 { quoted.toggle() } else if !quoted && c == 0x0A { return i + 1 }
            i += 1
        }
        return nil
    }

    /// How many `"` bytes a range holds, eight bytes at a time: this runs on one thread before
    /// the two halves can start, over half the file.
    package static func quoteCount(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int {
        var count = 0
        var i = range.lowerBound
        // Most files have few quotes or none: the C library's vectorised search skips to the
        // first at memory speed, and a file without any is done in one call.
        guard let base = b.baseAddress, !range.isEmpty else { return 0 }
        guard let first = memchr(base + i, 0x22, range.count) else { return 0 }
        i = base.distance(to: UnsafeRawPointer(first))
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= range.upperBound {
            // Bytes equal to '"' become zero; the classic test marks each zero byte's high bit.
            let x = b.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ (ones &* 0x22)
            let zeros = ~(((x & ~highs) &+ ~highs) | x) & highs
            count += zeros.nonzeroBitCount
            i += 8
        }
        while i < range.upperBound {
            if b[i] == 0x22 { count += 1 }
            i += 1
        }
        return count
    }

    private static func builderKind(for type: ValueType) -> ColumnBuilder.Kind {
        switch type {
        case .number: return .number
        case .date: return .date
        case .rating: return .rating
        case .bool: return .bool
        default: return .text
        }
    }

    /// The builder the sample suggests. A sample with no values, only suppression markers, or
    /// only what looks like d/m/y dates decides nothing: the column's whole text decides at the
    /// end. (Every other guess is safe: a text guess means the sample already holds a value that
    /// makes the column text whatever else it holds, and any other builder refuses a value that
    /// does not fit.)
    private static func sampleKind(_ tally: TypeTally, dateOrder: DateOrder?) -> ColumnBuilder.Kind {
        guard tally.hasValues, let type = try? tally.type(column: "", file: "", order: dateOrder) else { return .raw }
        return builderKind(for: type)
    }

    /// A column read as dictionary codes: the type is inferred from the distinct values (the
    /// same answer as from every value), each distinct value converted once.
    /// A column read as text because of a few values unlike the rest (`n/a` among numbers).
    package struct TextColumn: Sendable, Equatable {
        package var column: String
        /// The first such value.
        package var example: String
        /// How many distinct values were unlike the rest, and what the rest were.
        package var odd: Int
        package var rest: String
    }

    private static func column(fromCodes codes: PackedInts, _ dictionary: TextDictionary, name: String,
                               file: String, dateOrder: DateOrder? = nil,
                               textColumns: inout [TextColumn]) throws(IQLError) -> Column {
        let distinct = Array(dictionary.strings.dropFirst())
        var tally = TypeTally()
        // Every distinct value is looked at (not only up to the first text), to tell a column of
        // words from one of numbers with a stray "n/a".
        for v in distinct {
            tally.add(v)
            if tally.isSettledText && !tally.mayBeFewOdd { break }
        }
        let type = try tally.type(column: name, file: file, order: dateOrder)
        if type == .text {
            if let (example, odd, rest) = tally.fewOdd() {
                textColumns.append(TextColumn(column: name, example: example, odd: odd, rest: rest))
            }
            return Column(storage: .text(codes, dictionary), count: codes.count)
        }
        if type == .date {
            // ISO, named-month and slash dates, each distinct text read once.
            let order = tally.slashOrder(given: dateOrder)
            var days: [Value] = []
            days.reserveCapacity(dictionary.strings.count)
            for (code, text) in dictionary.strings.enumerated() {
                if code == 0 { days.append(.null); continue }
                // A value no calendar has (31/02/2024) leaves the column text, as any odd value does.
                guard let day = DateOrder.anyDay(Substring(text.trimmingSpaces), order: order) else {
                    return Column(storage: .text(codes, dictionary), count: codes.count)
                }
                days.append(.date(day))
            }
            return Column(codes.map { days[Int($0)] })
        }
        let converted = dictionary.strings.enumerated().map { code, text in
            code == 0 ? Value.null : (convert(text, to: type) ?? .text(text))
        }
        return Column(codes.map { converted[Int($0)] })
    }

    private static func columnType(_ c: Column) -> ValueType {
        switch c.storage {
        case .int64, .decimal, .double, .numbers: return .number
        case .text: return .text
        case .date: return .date
        case .rating: return .rating
        case .bool: return .bool
        case .boxed(let values):
            var t = ValueType.null
            for v in values { if let u = t.unified(with: v.type) { t = u } }
            return t == .null ? .text : t
        }
    }

    // MARK: - Types

    /// The type of a column holding these values (each distinct value once is enough).
    package static func inferType(_ values: [String], column: String, file: String) throws(IQLError) -> ValueType {
        var tally = TypeTally()
        for v in values {
            tally.add(v)
            if tally.isSettledText { break }
        }
        return try tally.type(column: column, file: file)
    }

    package static func convert(_ raw: String, to type: ValueType) -> Value? {
        switch type {
        case .text: return raw.isEmpty ? .null : .text(raw)
        default: break
        }
        let v = raw.trimmingSpaces
        if v.isEmpty { return .null }
        switch type {
        case .number:
            if let n = parseNumber(v) { return .number(n) }
            return suppressionMarkers.contains(v.lowercased()) ? .null : nil
        case .date: return Day(iso: Substring(v)).map(Value.date)
        case .rating: return Rating(wording: v).map(Value.rating)
        case .bool:
            switch v.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return nil
            }
        default: return .text(raw)
        }
    }

    /// A plain decimal number: optional sign, digits (thousands may be grouped with commas),
    /// optional fraction and exponent. Rejects `inf`, `nan`, hex and anything Double would stretch to read.
    package static func parseNumber(_ s: String) -> Number? {
        var u = Array(s.utf8)
        guard !u.isEmpty else { return nil }
        if u.contains(0x2C) {
            // Thousands separators: 1,234 or 12,345,678.9
            var start = u.first == 0x2D ? 1 : 0
            let intEnd = u.firstIndex(of: 0x2E) ?? u.count
            let groups = u[start..<intEnd].split(separator: 0x2C, omittingEmptySubsequences: false)
            guard groups.count > 1, (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
            u.removeAll { $0 == 0x2C }
            start = 0
        }
        var i = 0
        if u[i] == 0x2D || u[i] == 0x2B { i += 1 }
        let digitsStart = i
        while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
        var integral = i > digitsStart
        var isDecimal = false
        if i < u.count, u[i] == 0x2E {
            isDecimal = true
            i += 1
            let f = i
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
            integral = integral || i > f
        }
        guard integral else { return nil }
        if i < u.count, u[i] == 0x65 || u[i] == 0x45 {
            isDecimal = true
            i += 1
            if i < u.count, u[i] == 0x2B || u[i] == 0x2D { i += 1 }
            let e = i
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
            guard i > e else { return nil }
        }
        guard i == u.count else { return nil }
        let text = String(decoding: u, as: UTF8.self)
        // An integer too large for 64 bits is not a number IQL can hold exactly: leave it text.
        if !isDecimal { return Int64(text).map(Number.int) }
        if let d = Decimal64.parse(text) { return Number.exact(d.mantissa, scale: d.scale) }
        // More digits than 18 places or 64 bits hold: the nearest double is the best there is.
        guard let d = Double(text), d.isFinite else { return nil }
        return .double(d)
    }
}


// MARK: - Scan sinks

/// Takes the header, and tallies the kinds of value in the first rows without making strings.
private struct SampleSink: CSVScanner.Sink {
    package let limit: Int
    package var header: [String]?
    private var current: [String] = []
    /// One per column of the header.
    package var tallies: [TypeTally] = []
    package var headerHasInvalidUTF8 = false
    private var rows = 0
    private var bytes = 0

    package init(limit: Int) { self.limit = limit }

    /// Average bytes a row, to size the builders' arrays.
    package var bytesPerRow: Int { rows == 0 ? 64 : max(8, bytes / rows) }

    package mutating func field(_ column: Int, _ field: UnsafeRawBufferPointer, quoted: Bool) throws(CSVScanner.Problem) {
        guard header != nil else {
            if !TextDictionaryBuilder.isValidUTF8(field) { headerHasInvalidUTF8 = true }
            current.append(String(decoding: field, as: UTF8.self))
            return
        }
        bytes += field.count + 1
        // A column settled as text is still counted while it could be numbers with a few odd values.
        if column < tallies.count, !tallies[column].isSettledText || tallies[column].mayBeFewOdd { tallies[column].add(field) }
    }

    package mutating func endRecord(fields: Int, line: Int, blank: Bool) throws(CSVScanner.Problem) -> Bool {
        if header == nil {
            if blank { return true }
            header = current
            current = []
            tallies = Array(repeating: TypeTally(), count: fields)
            return limit > 0
        }
        if blank { return true }
        rows += 1
        return rows < limit
    }
}

/// Owns a scan's column builders. The sink reaches a builder through this pointer rather than
/// an array so that appending a field, which happens for every field of the file, does not
/// first check that an array of builders is uniquely referenced. A class so that the builders
/// are deinitialised exactly once, whatever copies of the sink were made; it is used by one
/// thread at a time (a half of the file, then the join), hence the unchecked `Sendable`.
private final class BuilderStore: @unchecked Sendable {
    package let pointer: UnsafeMutablePointer<ColumnBuilder>
    package let count: Int

    package init(_ builders: [ColumnBuilder]) {
        count = builders.count
        pointer = .allocate(capacity: max(1, builders.count))
        builders.withUnsafeBufferPointer { b in
            if let base = b.baseAddress { pointer.initialize(from: base, count: b.count) }
        }
    }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }

    package var all: [ColumnBuilder] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

/// Feeds every field to its column's builder and checks each row's width.
private struct BuildSink: CSVScanner.Sink {
    package let store: BuilderStore
    package var builders: [ColumnBuilder] { store.all }
    package let width: Int
    /// Declared types: a field that does not fit is an error, not a fallback.
    package let strict: Bool
    /// Columns whose builder refused a field; checked once a field, so an array, not a set.
    package var failedColumns: [Bool]
    package var failed: Set<Int> { Set(failedColumns.indices.filter { failedColumns[$0] }) }
    package var failure: (column: Int, text: String)?
    package var rows = 0
    /// Records (numbered from 0 after the header, blank lines included) to leave out.
    package var skip = Set<Int>()
    private var record = 0
    private var headerDone = false

    /// Roughly how many records will be read, to size a block for a small file.
    package var rowEstimate = FieldBlock.records

    package init(builders: [ColumnBuilder], width: Int, strict: Bool, headerDone: Bool = false) {
        store = BuilderStore(builders)
        self.width = width
        self.strict = strict
        self.headerDone = headerDone
        failedColumns = Array(repeating: false, count: width)
    }

    package mutating func field(_ column: Int, _ field: UnsafeRawBufferPointer, quoted: Bool) throws(CSVScanner.Problem) {
        guard headerDone, column < width, !failedColumns[column] else { return }
        if !skip.isEmpty, skip.contains(record) { return }
        if !store.pointer[column].append(field) {
            // A declared number column whose numbers overflow a common decimal scale (12.13 and
            // 7.0000000000000007E-2 together) is retyped from its text like an inferred one.
            if strict, !store.pointer[column].isOverflowingNumber(field) {
                failure = (column, String(decoding: field, as: UTF8.self))
                throw CSVScanner.Problem(message: "", line: 0)
            }
            failedColumns[column] = true
        }
    }

    /// Reads a body (records only, no header) a block of records at a time, each block's
    /// columns in turn. False if some record needs the field-by-field reader: it has the wrong
    /// width or a stray quote, or a declared column's value does not fit; that reader then
    /// reports the problem with its line. `release` is told, every few megabytes, which bytes
    /// (offsets into `body`) lie wholly behind the read.
    package mutating func readBlocks(_ body: UnsafeRawBufferPointer, release: ((Range<Int>) -> Void)?) -> Bool {
        var block = FieldBlock(width: width, capacity: min(FieldBlock.records, max(1, rowEstimate)))
        let values = UnsafeMutablePointer<Int64>.allocate(capacity: block.capacity)
        defer { values.deallocate() }
        var i = 0, released = 0
        while i < body.count {
            guard let next = block.fill(body, from: i) else { return false }
            i = next
            for c in 0..<width where !failedColumns[c] {
                let builder = store.pointer + c
                let fits = block.withColumn(c) { fields -> Bool? in
                    guard let bad = builder.pointee.append(fields, values: values) else { return true }
                    // As in `field`: a declared number column whose numbers overflow a common
                    // scale is retyped from its text; any other misfit is an error.
                    return strict && !builder.pointee.isOverflowingNumber(fields[bad]) ? nil : false
                }
                guard let fits else { return false }
                if !fits { failedColumns[c] = true }
            }
            rows += block.rows
            if let release, i - released >= FieldBlock.releaseStep {
                release(released..<i)
                released = i
            }
        }
        release?(released..<body.count)
        return true
    }

    package mutating func endRecord(fields: Int, line: Int, blank: Bool) throws(CSVScanner.Problem) -> Bool {
        if !headerDone {
            if !blank { headerDone = true }
            return true
        }
        defer { record += 1 }
        if !skip.isEmpty, skip.contains(record) { return true }
        if blank {
            guard width == 1 else { return true }
            if !failedColumns[0], !store.pointer[0].append(UnsafeRawBufferPointer(start: nil, count: 0)) { failedColumns[0] = true }
            rows += 1
            return true
        }
        guard fields == width else {
            throw CSVScanner.Problem(message: "\(fields) field\(fields == 1 ? "" : "s") where the header has \(width)", line: line)
        }
        rows += 1
        return true
    }
}

/// Collects one column's fields as dictionary codes, for the fallback that infers its type
/// from all of its values.
private struct TextSink: CSVScanner.Sink {
    package let column: Int
    package var skip = Set<Int>()
    private var record = 0
    package var codes = PackedIntsBuilder(capacity: 0)
    package var dictionary = TextDictionaryBuilder()
    private var headerDone = false
    private var width = 0

    package init(column: Int) { self.column = column }

    package mutating func field(_ column: Int, _ field: UnsafeRawBufferPointer, quoted: Bool) throws(CSVScanner.Problem) {
        if headerDone, column == self.column, skip.isEmpty || !skip.contains(record) {
            codes.append(field.isEmpty ? 0 : Int64(dictionary.code(for: field)))
        }
    }

    package mutating func endRecord(fields: Int, line: Int, blank: Bool) throws(CSVScanner.Problem) -> Bool {
        if !headerDone {
            if !blank {
                headerDone = true
                width = fields
            }
        } else {
            defer { record += 1 }
            if blank && width == 1 && (skip.isEmpty || !skip.contains(record)) { codes.append(0) }
        }
        return true
    }
}

/// Finds the records whose number of fields differs from the header's.
private struct ShapeSink: CSVScanner.Sink {
    package let width: Int
    package var bad: [(record: Int, line: Int, fields: Int)] = []
    private var record = 0
    private var headerDone = false

    package init(width: Int) { self.width = width }

    package mutating func field(_ column: Int, _ field: UnsafeRawBufferPointer, quoted: Bool) throws(CSVScanner.Problem) {}

    package mutating func endRecord(fields: Int, line: Int, blank: Bool) throws(CSVScanner.Problem) -> Bool {
        if !headerDone {
            if !blank { headerDone = true }
            return true
        }
        if !blank, fields != width { bad.append((record, line, fields)) }
        record += 1
        return true
    }
}

/// Finds the first field of the given columns that is not valid UTF-8.
private struct UTF8CheckSink: CSVScanner.Sink {
    package let columns: Set<Int>
    package var found: (line: Int, column: Int)?
    private var headerDone = false
    private var bad: Int?

    package init(columns: Set<Int>) { self.columns = columns }

    package mutating func field(_ column: Int, _ field: UnsafeRawBufferPointer, quoted: Bool) throws(CSVScanner.Problem) {
        if headerDone, bad == nil, columns.contains(column), !TextDictionaryBuilder.isValidUTF8(field) { bad = column }
    }

    package mutating func endRecord(fields: Int, line: Int, blank: Bool) throws(CSVScanner.Problem) -> Bool {
        if !headerDone {
            if !blank { headerDone = true }
            return true
        }
        if let bad {
            found = (line, bad)
            return false
        }
        return true
    }
}
