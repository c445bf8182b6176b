import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
import Foundation

/// Draws a `chart` stage's result: in a terminal with Unicode blocks, fitted to a width, or as
/// an SVG picture. Rows whose value is null are left out of the picture and counted.
package struct ChartRenderer: Sendable {
    /// The widest the terminal drawing may be, in characters.
    package var width: Int

    /// Makes a renderer for a terminal of this width.
    package init(width: Int = 80) {
        self.width = max(40, width)
    }

    private struct Point {
        var x: Value
        var label: String
        var y: Double
        var series: String
    }

    private static func points(_ table: Table, _ spec: ChartSpec) -> (points: [Point], skipped: Int) {
        guard let xc = table.column(named: spec.x), let yc = table.column(named: spec.y) else { return ([], 0) }
        let sc = spec.series.flatMap { table.column(named: $0) }
        var out: [Point] = []
        var skipped = 0
        for r in 0..<table.rowCount {
            guard case .number(let n) = yc[r], n.doubleValue.isFinite else { skipped += 1; continue }
            out.append(Point(x: xc[r], label: xc[r].isNull ? "null" : xc[r].displayText, y: n.doubleValue,
                             series: sc.map { $0[r].isNull ? "null" : $0[r].displayText } ?? spec.y))
        }
        return (out, skipped)
    }

    /// Numbers on axes and bars: whole numbers plainly, others to at most two decimals.
    static func format(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: "%.2f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    // MARK: - Terminal

    /// The chart drawn with Unicode block characters, ending with a newline.
    package func terminal(_ table: Table, _ spec: ChartSpec) -> String {
        let (points, skipped) = Self.points(table, spec)
        var out = spec.title + "\n"
        if points.isEmpty { return out + "(nothing to draw: no row has a number in '\(spec.y)')\n" }
        switch spec.kind {
        case .bar: out += bars(points)
        case .line: out += lines(points, spec)
        }
        if skipped > 0 { out += "(\(skipped) row\(skipped == 1 ? "" : "s") with no \(spec.y) not drawn)\n" }
        return out
    }

    private func bars(_ points: [Point]) -> String {
        let labelWidth = min(28, points.map(\.label.count).max() ?? 0)
        let numbers = points.map { Self.format($0.y) }
        let numberWidth = numbers.map(\.count).max() ?? 0
        let room = max(10, width - labelWidth - numberWidth - 3)
        let top = points.map { abs($0.y) }.max() ?? 0
        let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var out = ""
        for (p, number) in zip(points, numbers) {
            let label = p.label.count > labelWidth ? String(p.label.prefix(labelWidth - 1)) + "…"
                                                   : p.label + String(repeating: " ", count: labelWidth - p.label.count)
            let units = top > 0 ? Int((abs(p.y) / top * Double(room * 8)).rounded()) : 0
            var bar = String(repeating: p.y < 0 ? "░" : "█", count: units / 8)
            if p.y >= 0 { bar += eighths[units % 8] }
            out += label + " " + bar + " " + number + "\n"
        }
        return out
    }

    private func lines(_ points: [Point], _ spec: ChartSpec) -> String {
        let xs = Self.distinctX(points)
        let series = Self.distinctSeries(points)
        let marks: [Character] = ["●", "■", "▲", "◆", "○", "□", "△", "◇"]
        // A trend reads best over the range of its values, not from zero.
        let (lo, hi) = Self.span(points.map(\.y))
        let axisWidth = max(Self.format(hi).count, Self.format(lo).count, Self.format((lo + hi) / 2).count)
        let plotWidth = max(10, width - axisWidth - 3)
        let height = 15
        var grid = Array(repeating: Array(repeating: Character(" "), count: plotWidth), count: height)
        let position = Self.positions(xs)
        func column(_ x: Value) -> Int {
            guard xs.count > 1, let i = position[x] else { return 0 }
            return i * (plotWidth - 1) / (xs.count - 1)
        }
        func row(_ y: Double) -> Int { height - 1 - Int(((y - lo) / (hi - lo) * Double(height - 1)).rounded()) }
        let bySeries = Self.grouped(points, series: series, position: position)
        for (s, _) in series.enumerated() {
            let mine = bySeries[s]
            // Dots between points first, so the points' marks are drawn over them.
            for (a, b) in zip(mine, mine.dropFirst()) {
                let (c0, r0, c1, r1) = (column(a.x), row(a.y), column(b.x), row(b.y))
                let steps = max(abs(c1 - c0), abs(r1 - r0))
                for k in stride(from: 1, to: max(1, steps), by: 1) {
                    let c = c0 + (c1 - c0) * k / steps, r = r0 + (r1 - r0) * k / steps
                    if grid.indices.contains(r), grid[r].indices.contains(c), grid[r][c] == " " { grid[r][c] = "·" }
                }
            }
            for p in mine {
                let r = row(p.y), c = column(p.x)
                if grid.indices.contains(r), grid[r].indices.contains(c) { grid[r][c] = marks[s % marks.count] }
            }
        }
        var out = ""
        for (i, line) in grid.enumerated() {
            let label = i == 0 ? Self.format(hi) : i == height - 1 ? Self.format(lo)
                : i == (height - 1) / 2 ? Self.format((lo + hi) / 2) : ""
            out += String(repeating: " ", count: axisWidth - label.count) + label + " ┤" + String(line) + "\n"
        }
        out += String(repeating: " ", count: axisWidth) + " └" + String(repeating: "─", count: plotWidth) + "\n"
        // First and last x labels, and the middle one where there is room.
        var axis = Array(repeating: Character(" "), count: plotWidth + axisWidth + 2)
        func put(_ text: String, at c: Int) {
            let start = min(max(0, c + axisWidth + 2 - text.count / 2), axis.count - text.count)
            guard start >= 0 else { return }
            for (k, ch) in text.enumerated() where start + k < axis.count { axis[start + k] = ch }
        }
        if let first = xs.first { put(Self.label(first), at: 0) }
        if xs.count > 2 { put(Self.label(xs[xs.count / 2]), at: column(xs[xs.count / 2])) }
        if xs.count > 1, let last = xs.last { put(Self.label(last), at: plotWidth - 1) }
        out += String(axis).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        if series.count > 1 || spec.series != nil {
            out += series.enumerated().map { "\(marks[$0.offset % marks.count]) \($0.element)" }.joined(separator: "   ") + "\n"
        }
        return out
    }

    /// The values' range widened a little and to round ends, never empty.
    static func span(_ ys: [Double]) -> (Double, Double) {
        guard var lo = ys.min(), var hi = ys.max() else { return (0, 1) }
        if hi - lo < 1e-9 { lo -= 1; hi += 1 }
        let pad = (hi - lo) * 0.05
        lo = lo >= 0 && lo - pad < 0 ? 0 : (lo - pad).rounded(.down)
        hi = (hi + pad).rounded(.up)
        return (lo, hi)
    }

    private static func label(_ v: Value) -> String { v.isNull ? "null" : v.displayText }

    private static func distinctX(_ points: [Point]) -> [Value] {
        var seen = Set<Value>(), out: [Value] = []
        for p in points where seen.insert(p.x).inserted { out.append(p.x) }
        return out.sorted { $0.isNull != $1.isNull ? $1.isNull : Value.orderedBefore($0, $1) }
    }

    /// Each distinct x's place along the axis, so a point finds its column in one lookup.
    private static func positions(_ xs: [Value]) -> [Value: Int] {
        var out: [Value: Int] = [:]
        for (i, x) in xs.enumerated() where out[x] == nil { out[x] = i }
        return out
    }

    /// The points of each series (in `series` order), each in x order: one pass, not one per series.
    private static func grouped(_ points: [Point], series: [String], position: [Value: Int]) -> [[Point]] {
        var index: [String: Int] = [:]
        for (i, name) in series.enumerated() { index[name] = i }
        var out = Array(repeating: [Point](), count: series.count)
        for p in points { if let i = index[p.series] { out[i].append(p) } }
        return out.map { $0.sorted { (position[$0.x] ?? 0) < (position[$1.x] ?? 0) } }
    }

    private static func distinctSeries(_ points: [Point]) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for p in points where seen.insert(p.series).inserted { out.append(p.series) }
        return out
    }

    // MARK: - SVG

    /// Text (a rendered table) as an SVG document in a monospace font.
    static func svgText(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let width = 20 + 8 * (lines.map(\.count).max() ?? 0), height = 20 + 16 * lines.count
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" font-family=\"monospace\" font-size=\"13\">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"white\"/>\n"
        for (i, line) in lines.enumerated() where !line.isEmpty {
            out += "<text x=\"10\" y=\"\(24 + 16 * i)\" xml:space=\"preserve\">\(escape(String(line)))</text>\n"
        }
        return out + "</svg>\n"
    }

    static let palette = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#b58840", "#5694ca", "#912b88"]

    /// The chart as a standalone SVG document.
    package func svg(_ table: Table, _ spec: ChartSpec) -> String {
        let (points, _) = Self.points(table, spec)
        return draw(points, spec) { (_: Int) throws(Never) in }
    }

    /// The chart as SVG within a query's budget: stops with IQL0506/IQL0505 when the query runs
    /// out of time or is cancelled, and with IQL0511 as soon as the picture passes `maxBytes`.
    func svg(_ table: Table, _ spec: ChartSpec, budget: QueryBudget, maxBytes: Int?) throws(Diagnostic) -> String {
        let (points, _) = Self.points(table, spec)
        return try draw(points, spec) { (bytes: Int) throws(Diagnostic) in
            try budget.check()
            if let maxBytes, bytes > maxBytes {
                throw Diagnostic.error(.chartTooLarge(points: points.count, limit: QueryBudget.describe(maxBytes)),
                                       at: nil, notes: ["aggregate or take the rows worth drawing first, or raise the limit (EngineLimits.outputBytes)"])
            }
        }
    }

    /// Calls `checkpoint` with the bytes written so far every few points and at the end.
    private func draw<E: Error>(_ points: [Point], _ spec: ChartSpec, checkpoint: (Int) throws(E) -> Void) throws(E) -> String {
        switch spec.kind {
        case .bar: return try svgBars(points, spec, checkpoint: checkpoint)
        case .line: return try svgLines(points, spec, checkpoint: checkpoint)
        }
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static func header(width: Int, height: Int, title: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <title>\(escape(title))</title>
        <rect x="0" y="0" width="\(width)" height="\(height)" fill="white"/>
        <text x="\(width / 2)" y="22" text-anchor="middle" font-size="15" font-weight="bold">\(escape(title))</text>

        """
    }

    private static func n(_ d: Double) -> String { String(format: "%.1f", d) }

    private func svgBars<E: Error>(_ points: [Point], _ spec: ChartSpec, checkpoint: (Int) throws(E) -> Void) throws(E) -> String {
        let labelWidth = 8 * min(30, points.map(\.label.count).max() ?? 0) + 10
        let barHeight = 20, gap = 6, top = 40
        let width = 760, height = top + points.count * (barHeight + gap) + 30
        let plot = Double(width - labelWidth - 80)
        let lo = min(0, points.map(\.y).min() ?? 0), hi = max(lo + 1e-9, points.map(\.y).max() ?? 1)
        func x(_ v: Double) -> Double { Double(labelWidth) + (v - lo) / (hi - lo) * plot }
        var out = Self.header(width: width, height: height, title: spec.title)
        for (i, p) in points.enumerated() {
            if i % 256 == 0 { try checkpoint(out.utf8.count) }
            let y = top + i * (barHeight + gap)
            let x0 = x(min(0, p.y)), x1 = x(max(0, p.y))
            out += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 14)\" text-anchor=\"end\">\(Self.escape(p.label))</text>\n"
            out += "<rect class=\"bar\" x=\"\(Self.n(x0))\" y=\"\(y)\" width=\"\(Self.n(max(0.5, x1 - x0)))\" height=\"\(barHeight)\" fill=\"\(Self.palette[0])\"><title>\(Self.escape(p.label)): \(Self.format(p.y))</title></rect>\n"
            out += "<text x=\"\(Self.n(x1 + 4))\" y=\"\(y + 14)\">\(Self.format(p.y))</text>\n"
        }
        out += "<line x1=\"\(Self.n(x(0)))\" y1=\"\(top - 4)\" x2=\"\(Self.n(x(0)))\" y2=\"\(height - 26)\" stroke=\"#0b0c0c\"/>\n"
        out += "<text x=\"\(width / 2)\" y=\"\(height - 8)\" text-anchor=\"middle\">\(Self.escape(spec.y))</text>\n"
        out += "</svg>\n"
        try checkpoint(out.utf8.count)
        return out
    }

    private func svgLines<E: Error>(_ points: [Point], _ spec: ChartSpec, checkpoint: (Int) throws(E) -> Void) throws(E) -> String {
        let xs = Self.distinctX(points), series = Self.distinctSeries(points)
        let position = Self.positions(xs)
        let bySeries = Self.grouped(points, series: series, position: position)
        let width = 760, height = 420, left = 70.0, right = 170.0, top = 40.0, bottom = 50.0
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        let (lo, hi) = Self.span(points.map(\.y))
        func px(_ v: Value) -> Double {
            guard xs.count > 1, let i = position[v] else { return left + plotW / 2 }
            return left + Double(i) / Double(xs.count - 1) * plotW
        }
        func py(_ y: Double) -> Double { top + plotH - (y - lo) / (hi - lo) * plotH }
        var out = Self.header(width: width, height: height, title: spec.title)
        for k in 0...4 {
            let v = lo + (hi - lo) * Double(k) / 4
            out += "<line x1=\"\(Self.n(left))\" y1=\"\(Self.n(py(v)))\" x2=\"\(Self.n(left + plotW))\" y2=\"\(Self.n(py(v)))\" stroke=\"#dddddd\"/>\n"
            out += "<text x=\"\(Self.n(left - 6))\" y=\"\(Self.n(py(v) + 4))\" text-anchor=\"end\">\(Self.format((v * 100).rounded() / 100))</text>\n"
        }
        let every = max(1, xs.count / 10)
        try checkpoint(out.utf8.count)
        for (i, x) in xs.enumerated() where i % every == 0 || i == xs.count - 1 {
            out += "<text x=\"\(Self.n(px(x)))\" y=\"\(Self.n(top + plotH + 18))\" text-anchor=\"middle\">\(Self.escape(Self.label(x)))</text>\n"
        }
        out += "<line x1=\"\(Self.n(left))\" y1=\"\(Self.n(top + plotH))\" x2=\"\(Self.n(left + plotW))\" y2=\"\(Self.n(top + plotH))\" stroke=\"#0b0c0c\"/>\n"
        for (s, name) in series.enumerated() {
            let colour = Self.palette[s % Self.palette.count]
            try checkpoint(out.utf8.count)
            let mine = bySeries[s]
            let path = mine.map { "\(Self.n(px($0.x))),\(Self.n(py($0.y)))" }.joined(separator: " ")
            out += "<polyline class=\"series\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.5\" points=\"\(path)\"><title>\(Self.escape(name))</title></polyline>\n"
            for (k, p) in mine.enumerated() {
                if k % 256 == 255 { try checkpoint(out.utf8.count) }
                out += "<circle cx=\"\(Self.n(px(p.x)))\" cy=\"\(Self.n(py(p.y)))\" r=\"3.5\" fill=\"\(colour)\"><title>\(Self.escape(name)) \(Self.escape(p.label)): \(Self.format(p.y))</title></circle>\n"
            }
            let ly = top + Double(s) * 20
            out += "<rect x=\"\(Self.n(left + plotW + 16))\" y=\"\(Self.n(ly))\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>\n"
            out += "<text x=\"\(Self.n(left + plotW + 34))\" y=\"\(Self.n(ly + 11))\">\(Self.escape(name))</text>\n"
        }
        out += "<text x=\"\(Self.n(left + plotW / 2))\" y=\"\(height - 10)\" text-anchor=\"middle\">\(Self.escape(spec.x))</text>\n"
        out += "<text x=\"16\" y=\"\(Self.n(top + plotH / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(Self.n(top + plotH / 2)))\">\(Self.escape(spec.y))</text>\n"
        out += "</svg>\n"
        try checkpoint(out.utf8.count)
        return out
    }
}
