import Foundation
import Testing

/// The throwaway PostgreSQL server `scripts/test` starts (scripts/postgres), driven through
/// `psql` as a user would: scripts in, CSV out.
enum PostgresServer {
    /// The socket folder and port, from scripts/test; nil when the tests run some other way.
    static var address: (host: String, port: String)? {
        let env = ProcessInfo.processInfo.environment
        guard let host = env["IQL_TEST_PGHOST"], let port = env["IQL_TEST_PGPORT"] else { return nil }
        return (host, port)
    }

    /// Runs a script in a database of its own (made, then dropped) and returns what psql
    /// wrote, CSV without headers, and its errors.
    static func run(_ script: String, in dir: URL) throws -> (output: String, errors: String) {
        let (host, port) = try #require(address, "no PostgreSQL server: scripts/test starts one (scripts/postgres start DIR)")
        let database = "iql_\(UUID().uuidString.prefix(8).lowercased())"
        let scriptURL = dir.appendingPathComponent("\(database).sql")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        func psql(_ args: [String], stdin: URL? = nil) throws -> (String, String, Int32) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--csv", "-t"] + args
            var env = ProcessInfo.processInfo.environment
            env["PGHOST"] = host
            env["PGPORT"] = port
            env["PGUSER"] = "postgres"
            p.environment = env
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            if let stdin { p.standardInput = try FileHandle(forReadingFrom: stdin) }
            try p.run()
            let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return (o, e, p.terminationStatus)
        }
        let (_, made, status) = try psql(["-d", "postgres", "-c", "CREATE DATABASE \(database) ENCODING 'UTF8' TEMPLATE template0"])
        try #require(status == 0, "PostgreSQL: \(made)")
        defer { _ = try? psql(["-d", "postgres", "-c", "DROP DATABASE \(database)"]) }
        let (output, errors, _) = try psql(["-d", database, "-f", scriptURL.path])
        return (output, errors)
    }

    /// Output split at `SELECT '@@i'` markers into each query's rows of fields.
    static func results(_ output: String, count: Int) -> [[[String]]] {
        var results = Array(repeating: [[String]](), count: count)
        var current = -1
        for line in output.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).dropLast() {
            if line.hasPrefix("@@"), let i = Int(line.dropFirst(2)) {
                current = i
            } else if current >= 0 {
                results[current].append(line.split(separator: ",", omittingEmptySubsequences: false).map { field in
                    // psql writes booleans as t and f.
                    field == "t" ? "true" : field == "f" ? "false" : String(field)
                })
            }
        }
        return results
    }
}

/// CSV as iql, DuckDB and psql write it (RFC 4180: quoted fields may hold commas, quotes
/// doubled, line breaks), read back into records of fields.
enum CSVRecords {
    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = ""
        var quoted = false, atStart = true, any = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            any = true
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { chars.removeFirst(); field.unicodeScalars.append("\"") } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where atStart: quoted = true; atStart = false
            case ",": record.append(field); field = ""; atStart = true
            case "\r": continue
            case "\n":
                record.append(field)
                records.append(record)
                record = []; field = ""; atStart = true; any = false
            default: field.unicodeScalars.append(c); atStart = false
            }
        }
        if any { record.append(field); records.append(record) }
        return records
    }

    /// Records split at `SELECT '@@i'` markers into each query's rows.
    static func results(_ text: String, count: Int) -> [[[String]]] {
        var results = Array(repeating: [[String]](), count: count)
        var current = -1
        for r in parse(text) {
            if r.count == 1, r[0].hasPrefix("@@"), let i = Int(r[0].dropFirst(2)) {
                current = i
            } else if current >= 0, current < count {
                // psql writes booleans as t and f.
                results[current].append(r.map { $0 == "t" ? "true" : $0 == "f" ? "false" : $0 })
            }
        }
        return results
    }
}
