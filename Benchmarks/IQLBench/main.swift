// In-process timings for the benchmark harness (Benchmarks/bench.py): loads CSV files into one
// engine, as the REPL or an embedder would, then runs each query several times on the loaded
// data. Prints one JSON object: load and query times in seconds, results as CSV, peak memory.
import Foundation
import IQL

struct Options {
    var csv: [(String, String)] = []
    var queries: [(String, String)] = []
    /// Lines to complete, each read from a file (a 1 MB line does not fit in an argument).
    var completions: [(String, String)] = []
    var runs = 5
    /// `--time NAME=COLUMN`: a dataset's time column, as `iql --time` gives it.
    var time: [String: String] = [:]
}

func parse() -> Options? {
    var o = Options()
    var args = CommandLine.arguments.dropFirst()
    while let a = args.popFirst() {
        guard let v = args.popFirst() else { return nil }
        switch a {
        case "--csv", "--query", "--complete-file", "--time":
            guard let eq = v.firstIndex(of: "=") else { return nil }
            let pair = (String(v[..<eq]), String(v[v.index(after: eq)...]))
            switch a {
            case "--csv": o.csv.append(pair)
            case "--query": o.queries.append(pair)
            case "--time": o.time[pair.0] = pair.1
            default: o.completions.append(pair)
            }
        case "--runs": o.runs = Int(v) ?? 5
        default: return nil
        }
    }
    return o
}

func seconds(_ d: Duration) -> Double {
    let (s, atto) = d.components
    return Double(s) + Double(atto) / 1e18
}

func json(_ s: String) -> String { JSONWriter.string(s) }

func peakRSSKilobytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
    return 0
}

guard let options = parse() else {
    FileHandle.standardError.write(Data("usage: IQLBench --csv NAME=PATH … [--time NAME=COLUMN] --query NAME=TEXT … --complete-file NAME=PATH … [--runs N]\n".utf8))
    exit(2)
}
let clock = ContinuousClock()
// As the iql tool does, so the timings are those a user of it gets.
ProcessMemory.keepFreedMemory()
var engine = Engine()
var loads: [String] = []
for (name, path) in options.csv {
    let start = clock.now
    do {
        try engine.registerCSV(atPath: path, as: name, timeColumn: options.time[name])
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        exit(1)
    }
    loads.append("\(json(name)): \(seconds(clock.now - start))")
}
var queries: [String] = []
for (name, text) in options.queries {
    var times: [Double] = []
    var result = ""
    for _ in 0..<options.runs {
        let start = clock.now
        do {
            let table = try engine.query(text)
            times.append(seconds(clock.now - start))
            result = CSVWriter.render(table)
        } catch {
            FileHandle.standardError.write(Data("\(name): \(error)\n".utf8))
            exit(1)
        }
    }
    queries.append("\(json(name)): {\"times\": [\(times.map { String($0) }.joined(separator: ", "))], \"result\": \(json(result))}")
}
var completed: [String] = []
for (name, path) in options.completions {
    guard let line = try? String(contentsOfFile: path, encoding: .utf8) else {
        FileHandle.standardError.write(Data("\(name): cannot read \(path)\n".utf8))
        exit(1)
    }
    var times: [Double] = []
    var candidates: [String] = []
    for _ in 0..<options.runs {
        let start = clock.now
        candidates = engine.completions(before: line).candidates
        times.append(seconds(clock.now - start))
    }
    completed.append("\(json(name)): {\"bytes\": \(line.utf8.count), \"times\": [\(times.map { String($0) }.joined(separator: ", "))], "
        + "\"first\": \(json(candidates.first ?? ""))}")
}
print("{\"load\": {\(loads.joined(separator: ", "))}, \"queries\": {\(queries.joined(separator: ", "))}, "
    + "\"completions\": {\(completed.joined(separator: ", "))}, \"peak_rss_kb\": \(peakRSSKilobytes())}")
