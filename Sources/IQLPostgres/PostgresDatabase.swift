import CLibPQ
import Foundation
import IQL
import Synchronization

/// A connection to a PostgreSQL server (or Citus, or a managed PostgreSQL service) through
/// libpq, PostgreSQL's own client library, for `Engine(database:)`.
///
/// ```swift
/// let database = try PostgresDatabase(connecting: "postgresql://analyst@db.example/ofsted")
/// let engine = try Engine(database: database)
/// let table = try engine.query("from inspections | where overall == inadequate | count")
/// ```
///
/// Rows stream back one at a time (libpq's single-row mode), so a result is read as it
/// arrives; a statement is cancelled on the server (`PQcancel`) when the engine's time limit
/// passes or the query is cancelled. One statement runs at a time; the connection closes
/// when the last reference goes.
public final class PostgresDatabase: SQLDatabase {
    /// What messages call the database: its name, host and port, never a password.
    public let name: String
    /// PostgreSQL's dialect.
    public var dialect: SQLDialect { .postgres }

    private let connection: Mutex<Connection>

    /// The libpq connection; only used while holding the mutex.
    private struct Connection: ~Copyable {
        let pq: iql_libpq
        let handle: OpaquePointer
        deinit { pq.PQfinish(handle) }
    }

    /// Connects: `address` is a `postgresql://` URI or a libpq `key=value` string; what it
    /// leaves out comes from the usual `PG…` variables and `~/.pgpass`, as for psql. libpq is
    /// loaded on the first connection; a machine without it (Debian's libpq5) is told so.
    public init(connecting address: String) throws(SQLDatabaseError) {
        let pq = try LibPQ.functions.get()
        let keywords = ["dbname", "application_name", "client_encoding"]
        let values = [address, "iql", "UTF8"]
        let handle: OpaquePointer? = withCStrings(keywords) { k in
            withCStrings(values) { v in pq.PQconnectdbParams(k, v, 1) }
        }
        guard let handle else { throw SQLDatabaseError(.connection, "libpq could not allocate a connection") }
        guard pq.PQstatus(handle) == CONNECTION_OK else {
            let message = Self.message(pq, handle)
            pq.PQfinish(handle)
            throw SQLDatabaseError(.connection, message)
        }
        // Notices (a DROP … IF EXISTS that found nothing) are not the user's business; libpq
        // would print them on stderr.
        _ = pq.PQsetNoticeProcessor(handle, { _, _ in }, nil)
        let database = pq.PQdb(handle).map { String(cString: $0) } ?? ""
        let host = pq.PQhost(handle).map { String(cString: $0) } ?? "localhost"
        let port = pq.PQport(handle).map { String(cString: $0) } ?? ""
        name = "PostgreSQL database \"\(database)\" on \(host)\(port.isEmpty ? "" : ":" + port)"
        connection = Mutex(Connection(pq: pq, handle: handle))
        // Dates as ISO text, which IQL reads back.
        try execute("SET DateStyle = 'ISO, YMD'")
    }

    /// Every table, view and materialised view on the search path, by name (a name in two
    /// schemas: the first on the path), with each column's IQL type: whole and decimal
    /// numbers and floats are numbers, dates dates, booleans booleans, the `iql_rating`
    /// domain ratings, text text; a timestamp is read as its date and any other type as its
    /// text. A column named `iql_row` gives the rows' order; a column's comment is its
    /// description, and one starting `iql:time` marks the time column. Names IQL cannot write (spaces, capitals …) are left out.
    public func catalogue() throws(SQLDatabaseError) -> [SQLDatabaseTable] {
        let sql = """
            SELECT c.relname, a.attname, t.typname, coalesce(b.typname, ''), coalesce(col_description(c.oid, a.attnum), '')
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_type b ON b.oid = t.typbasetype AND t.typtype = 'd'
            WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND n.nspname = ANY (current_schemas(false))
            ORDER BY array_position(current_schemas(false), n.nspname::text), c.relname, a.attnum
            """
        var rows: [[String]] = []
        do {
            try query(sql, stop: { false }, columns: { _ in }, row: { fields in rows.append(fields.map { $0 ?? "" }) })
        } catch let e as SQLDatabaseError {
            throw e
        } catch {
            throw SQLDatabaseError(.statement, "\(error)")
        }
        var tables: [SQLDatabaseTable] = []
        var seen: Set<String> = []
        var index: [String: Int] = [:]
        for row in rows where row.count == 5 {
            let (table, column, type, base, comment) = (row[0], row[1], row[2], row[3], row[4])
            guard Self.writable(table) else { continue }
            let k: Int
            if let known = index[table] {
                k = known
            } else {
                guard !seen.contains(table) else { continue }
                seen.insert(table)
                k = tables.count
                index[table] = k
                tables.append(SQLDatabaseTable(name: table, columns: [], ordered: false))
            }
            guard index[table] == k else { continue }
            if column == "iql_row" {
                tables[k].ordered = true
                continue
            }
            let (iqlType, cast) = Self.type(type == "iql_rating" ? type : base.isEmpty ? type : base)
            var summary = comment.trimmingCharacters(in: .whitespacesAndNewlines)
            if summary.lowercased().hasPrefix("iql:time") {
                tables[k].timeColumn = column
                summary = summary.dropFirst("iql:time".count).trimmingCharacters(in: .whitespaces)
            }
            tables[k].columns.append(.init(name: column, type: iqlType, cast: cast, summary: summary.isEmpty ? nil : summary))
        }
        // A name in a later schema of the path is hidden by the first: its rows came after.
        return tables
    }

    /// A catalogue type's IQL type, and the type a scan casts it to when IQL has no
    /// counterpart.
    static func type(_ name: String) -> (ValueType, String?) {
        switch name {
        case "int2", "int4", "int8", "numeric", "float4", "float8": return (.number, nil)
        case "oid", "money": return (.number, "NUMERIC")
        case "text", "varchar", "bpchar", "name", "citext": return (.text, nil)
        case "date": return (.date, nil)
        case "timestamp", "timestamptz": return (.date, "DATE")
        case "bool": return (.bool, nil)
        case "iql_rating": return (.rating, nil)
        default: return (.text, "TEXT")
        }
    }

    /// Whether IQL can name the table after `from`: letters, digits and underscores.
    static func writable(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first)) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
    }

    public func query(_ sql: String, stop: @escaping @Sendable () -> Bool,
                      columns: ([SQLResultColumn]) throws -> Void, row: ([String?]) throws -> Void) throws {
        try connection.withLock { (c: inout Connection) throws in
            try Self.run(c.pq, c.handle, sql, stop: stop, columns: columns, row: row)
        }
    }

    public func execute(_ sql: String) throws(SQLDatabaseError) {
        do {
            try query(sql, stop: { false }, columns: { _ in }, row: { _ in })
        } catch let e as SQLDatabaseError {
            throw e
        } catch {
            throw SQLDatabaseError(.statement, "\(error)")
        }
    }

    public func copy(_ statement: String, data: String) throws(SQLDatabaseError) {
        let outcome: Result<Void, SQLDatabaseError> = connection.withLock { c in
            let handle = c.handle, pq = c.pq
            guard let started = pq.PQexec(handle, statement) else { return .failure(Self.lost(pq, handle)) }
            let status = pq.PQresultStatus(started)
            if status != PGRES_COPY_IN {
                let failure = Self.failure(pq, started, handle)
                pq.PQclear(started)
                return .failure(failure)
            }
            pq.PQclear(started)
            // In pieces of a megabyte: libpq buffers what it is given.
            var bytes = Array(data.utf8)[...]
            var sent = true
            while !bytes.isEmpty, sent {
                let piece = bytes.prefix(1 << 20)
                sent = piece.withUnsafeBufferPointer { p in
                    p.withMemoryRebound(to: CChar.self) { pq.PQputCopyData(handle, $0.baseAddress, Int32($0.count)) == 1 }
                }
                bytes = bytes.dropFirst(piece.count)
            }
            if pq.PQputCopyEnd(handle, sent ? nil : "iql could not send the rows") != 1 { return .failure(Self.lost(pq, handle)) }
            var failure: SQLDatabaseError?
            while let result = pq.PQgetResult(handle) {
                if pq.PQresultStatus(result) == PGRES_FATAL_ERROR, failure == nil { failure = Self.failure(pq, result, handle) }
                pq.PQclear(result)
            }
            return failure.map { .failure($0) } ?? .success(())
        }
        try outcome.get()
    }

    /// Sends the statement and reads its results as they arrive, polling `stop` between
    /// them; a stop, or an error from a callback, cancels the rest on the server.
    private static func run(_ pq: iql_libpq, _ handle: OpaquePointer, _ sql: String, stop: @Sendable () -> Bool,
                            columns: ([SQLResultColumn]) throws -> Void, row: ([String?]) throws -> Void) throws {
        guard pq.PQsendQuery(handle, sql) == 1 else { throw lost(pq, handle) }
        _ = pq.PQsetSingleRowMode(handle)
        var failure: (any Error)?
        var cancelled = false
        var described = false
        func cancel() {
            guard !cancelled else { return }
            cancelled = true
            guard let request = pq.PQgetCancel(handle) else { return }
            var buffer = [CChar](repeating: 0, count: 256)
            _ = pq.PQcancel(request, &buffer, Int32(buffer.count))
            pq.PQfreeCancel(request)
        }
        while true {
            // Wait for the server without blocking the stop check for more than 50 ms.
            while pq.PQisBusy(handle) == 1 {
                if !cancelled, stop() { cancel() }
                var poller = pollfd(fd: pq.PQsocket(handle), events: Int16(POLLIN), revents: 0)
                _ = poll(&poller, 1, 50)
                if pq.PQconsumeInput(handle) == 0 {
                    throw lost(pq, handle)
                }
            }
            guard let result = pq.PQgetResult(handle) else { break }
            defer { pq.PQclear(result) }
            let status = pq.PQresultStatus(result)
            switch status {
            case PGRES_SINGLE_TUPLE, PGRES_TUPLES_OK:
                guard failure == nil, !cancelled else { continue }
                do {
                    if !described {
                        described = true
                        try columns(describe(pq, result))
                    }
                    if status == PGRES_SINGLE_TUPLE {
                        try row(fields(pq, result))
                        if stop() { cancel() }
                    }
                } catch {
                    failure = error
                    cancel()
                }
            case PGRES_FATAL_ERROR:
                let error = Self.failure(pq, result, handle)
                // The cancel iql asked for is not a failure: the caller says why it stopped.
                if failure == nil, !(cancelled && error.state == "57014") { failure = error }
            default:
                continue
            }
        }
        if let failure { throw failure }
    }

    private static func describe(_ pq: iql_libpq, _ result: OpaquePointer) -> [SQLResultColumn] {
        (0..<pq.PQnfields(result)).map { i in
            let kind: SQLResultColumn.Kind
            switch pq.PQftype(result, i) {
            case 20, 21, 23: kind = .integer
            case 1700: kind = .exact
            case 700, 701: kind = .float
            default: kind = .other
            }
            return SQLResultColumn(name: pq.PQfname(result, i).map { String(cString: $0) } ?? "", kind: kind)
        }
    }

    private static func fields(_ pq: iql_libpq, _ result: OpaquePointer) -> [String?] {
        (0..<pq.PQnfields(result)).map { i in
            guard pq.PQgetisnull(result, 0, i) == 0, let value = pq.PQgetvalue(result, 0, i) else { return nil }
            let count = Int(pq.PQgetlength(result, 0, i))
            return value.withMemoryRebound(to: UInt8.self, capacity: count) {
                String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
            }
        }
    }

    private static func failure(_ pq: iql_libpq, _ result: OpaquePointer, _ handle: OpaquePointer) -> SQLDatabaseError {
        func field(_ code: Character) -> String? {
            guard let ascii = code.asciiValue, let p = pq.PQresultErrorField(result, Int32(ascii)) else { return nil }
            return String(cString: p)
        }
        let message = field("M") ?? Self.message(pq, handle)
        let details = [field("D").map { "detail: " + $0 }, field("H").map { "hint: " + $0 }].compactMap { $0 }
        return SQLDatabaseError(.statement, message, state: field("C"), details: details)
    }

    private static func lost(_ pq: iql_libpq, _ handle: OpaquePointer) -> SQLDatabaseError {
        SQLDatabaseError(pq.PQstatus(handle) == CONNECTION_OK ? .statement : .connection, message(pq, handle))
    }

    /// libpq's last message, one line (it ends its messages with a newline).
    private static func message(_ pq: iql_libpq, _ handle: OpaquePointer) -> String {
        guard let p = pq.PQerrorMessage(handle) else { return "unknown error" }
        let text = String(cString: p).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "unknown error" : text.replacingOccurrences(of: "\n", with: "; ")
    }
}

/// Calls `body` with the strings as a NULL-terminated array of C strings.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { for p in copies { free(p) } }
    return body(copies.map { $0.map { UnsafePointer($0) } } + [nil])
}

/// libpq's functions, loaded once, when the first connection is made.
enum LibPQ {
    static let functions: Result<iql_libpq, SQLDatabaseError> = {
        let table = UnsafeMutablePointer<iql_libpq>.allocate(capacity: 1)
        defer { table.deallocate() }
        var error = [CChar](repeating: 0, count: 512)
        guard iql_libpq_load(table, &error, error.count) == 0 else {
            let reason = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .failure(SQLDatabaseError(.connection, "PostgreSQL's client library could not be loaded (\(reason)); install it: apt-get install libpq5"))
        }
        return .success(table.pointee)
    }()
}
