import Foundation
import Testing

/// The benchmark harness's answer check, on a small generated file, so the harness cannot rot:
/// iql, DuckDB and SQLite (where it has the functions) must agree on every workload. Nothing is
/// timed here.
struct BenchmarkHarnessTests {
    @Test func enginesAgreeOnEveryWorkload() throws {
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Repo.root.appendingPathComponent("Benchmarks/bench.py").path,
                       "--check-only", "--rows", "3000", "--no-lait",
                       "--iql", CLITests.binary.path, "--data-dir", dir.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("answers agree: 36 workloads"))
    }
}
