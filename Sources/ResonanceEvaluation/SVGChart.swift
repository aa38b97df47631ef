import Foundation

/// The images of the score distribution and of scores over time, as standalone SVG (no fonts or
/// scripts to fetch, so they render the same in a browser, on GitHub and in an editor).
public enum SVGChart {
    static let width = 760.0
    static let height = 420.0
    static let left = 64.0
    static let right = 24.0
    static let top = 48.0
    static let bottom = 56.0
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func header(title: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(width / 2))" y="24" text-anchor="middle" font-size="15" font-weight="bold">\(escape(title))</text>

        """
    }

    /// A nice step for about `target` ticks over `range`.
    static func tickStep(_ range: Double, target: Int) -> Double {
        let raw = range / Double(Swift.max(target, 1))
        let magnitude = pow(10, floor(log10(raw)))
        for multiple in [1.0, 2.0, 5.0, 10.0] where multiple * magnitude >= raw { return multiple * magnitude }
        return 10 * magnitude
    }

    /// A histogram of `distribution` (whole-point bins, 1–100) with the mean and the 95th
    /// percentile marked.
    public static func histogram(_ distribution: ScoreDistribution, title: String) -> String {
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let highest = Double(distribution.bins.max() ?? 0)
        let yStep = tickStep(Swift.max(highest, 1), target: 5)
        let yMax = Swift.max(ceil(Swift.max(highest, 1) / yStep) * yStep, yStep)
        func x(_ score: Double) -> Double { left + (score - 1) / 99 * plotWidth }
        func y(_ count: Double) -> Double { top + plotHeight - count / yMax * plotHeight }
        var svg = header(title: title)
        var tick = 0.0
        while tick <= yMax + yStep / 2 {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(y(tick)))\" y2=\"\(f(y(tick)))\" stroke=\"#e5e5e5\"/>\n"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(Int(tick))</text>\n"
            tick += yStep
        }
        for (bin, count) in distribution.bins.enumerated() where count > 0 {
            let x0 = x(Double(bin + 1))
            let x1 = x(Double(bin + 2))
            svg += "<rect x=\"\(f(x0))\" y=\"\(f(y(Double(count))))\" width=\"\(f(Swift.max(x1 - x0 - 0.5, 0.5)))\" height=\"\(f(y(0) - y(Double(count))))\" fill=\"#4c78a8\"/>\n"
        }
        for score in stride(from: 10, through: 100, by: 10) {
            svg += "<text x=\"\(f(x(Double(score))))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\">\(score)</text>\n"
        }
        svg += "<text x=\"\(f(x(1)))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\">1</text>\n"
        for (label, value, color) in [("mean", distribution.mean, "#d62728"), ("p95", distribution.p95, "#2ca02c")] where distribution.count > 0 {
            svg += "<line x1=\"\(f(x(value)))\" x2=\"\(f(x(value)))\" y1=\"\(f(top))\" y2=\"\(f(y(0)))\" stroke=\"\(color)\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
            svg += "<text x=\"\(f(x(value) + 4))\" y=\"\(f(top + (label == "mean" ? 12 : 28)))\" fill=\"\(color)\">\(label) \(String(format: "%.1f", value))</text>\n"
        }
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(y(0)))\" y2=\"\(f(y(0)))\" stroke=\"black\"/>\n"
        svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 16))\" text-anchor=\"middle\">score (1-point bins), \(distribution.count) users</text>\n"
        svg += "<text transform=\"translate(16 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">users</text>\n"
        svg += "</svg>\n"
        return svg
    }

    /// Line charts of users' scores over event time, one colour per user, with a legend.
    public static func timelines(_ timelines: [ScoreTimeline], title: String) -> String {
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom - 18 * Double((timelines.count + 1) / 2)
        let times = timelines.flatMap { $0.points.map(\.time) }
        let start = times.min() ?? 0
        let end = Swift.max(times.max() ?? 1, start + 1)
        func x(_ time: Int64) -> Double { left + Double(time - start) / Double(end - start) * plotWidth }
        func y(_ score: Double) -> Double { top + plotHeight - (score - 1) / 99 * plotHeight }
        var svg = header(title: title)
        for score in stride(from: 0, through: 100, by: 20) {
            let value = Double(Swift.max(score, 1))
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(y(value)))\" y2=\"\(f(y(value)))\" stroke=\"#e5e5e5\"/>\n"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(value) + 4))\" text-anchor=\"end\">\(Int(value))</text>\n"
        }
        // Year ticks, in UTC.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let firstYear = calendar.component(.year, from: Date(timeIntervalSince1970: Double(start) / 1000))
        let lastYear = calendar.component(.year, from: Date(timeIntervalSince1970: Double(end) / 1000))
        if firstYear < lastYear {
            for year in (firstYear + 1)...lastYear {
                guard let date = calendar.date(from: DateComponents(year: year, month: 1, day: 1)) else { continue }
                let time = Int64(date.timeIntervalSince1970 * 1000)
                svg += "<line x1=\"\(f(x(time)))\" x2=\"\(f(x(time)))\" y1=\"\(f(top))\" y2=\"\(f(y(1)))\" stroke=\"#e5e5e5\"/>\n"
                svg += "<text x=\"\(f(x(time)))\" y=\"\(f(y(1) + 16))\" text-anchor=\"middle\">\(year)</text>\n"
            }
        }
        for (index, timeline) in timelines.enumerated() {
            let color = palette[index % palette.count]
            let points = timeline.points.map { "\(f(x($0.time))),\(f(y($0.score)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(points)\"/>\n"
            let legendX = left + Double(index % 2) * plotWidth / 2
            let legendY = y(1) + 36 + 18 * Double(index / 2)
            svg += "<rect x=\"\(f(legendX))\" y=\"\(f(legendY - 9))\" width=\"14\" height=\"4\" fill=\"\(color)\"/>\n"
            svg += "<text x=\"\(f(legendX + 20))\" y=\"\(f(legendY - 4))\">user \(escape(timeline.user)): \(timeline.reactionsReceived) reactions on \(timeline.activeDays) days</text>\n"
        }
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(y(1)))\" y2=\"\(f(y(1)))\" stroke=\"black\"/>\n"
        svg += "<text transform=\"translate(16 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">score</text>\n"
        svg += "</svg>\n"
        return svg
    }
}
