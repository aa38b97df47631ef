import Foundation
import Hummingbird
import ResonanceHTTP
import Testing

/// The dashboard rendered for real: a live server over the scored fixture, headless Chromium
/// loading the page, and checks on both the DOM it built and the pixels of its screenshot.
@Suite(.enabled(if: TestSupport.chromium != nil, "needs Debian's chromium (scripts/bootstrap installs it)"))
struct DashboardTests {
    let fixture: ScoredFixture

    init() throws { fixture = try ScoredFixture.shared() }

    private func browse(_ url: String, _ output: [String], profile: URL) async throws -> Subprocess.Result {
        try await Subprocess.run(try #require(TestSupport.chromium), [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--user-data-dir=\(profile.path)", "--window-size=1200,1300",
            // Lets the page's fetches finish before the DOM or the pixels are taken.
            "--virtual-time-budget=8000",
        ] + output + [url])
    }

    /// Loads `path` from a live server over `context` in headless Chromium and returns the DOM its
    /// script built; the screenshot goes to `screenshot` and becomes docs/images/`name` (the
    /// screenshots in the docs are these: every run of the tests takes them again).
    private func render(
        _ path: String, _ context: ServerContext, into screenshot: URL, documentedAs name: String, in directory: URL
    ) async throws -> String {
        let (dom, shot) = try await LiveServer.with(context) { client in
            let url = "http://127.0.0.1:\(client.port)\(path)"
            let dom = try await browse(url, ["--dump-dom"], profile: directory.appendingPathComponent("profile-dom"))
            let shot = try await browse(url, ["--screenshot=\(screenshot.path)"], profile: directory.appendingPathComponent("profile-shot"))
            return (dom, shot)
        }
        #expect(dom.status == 0, "chromium --dump-dom failed: \(String(decoding: dom.error, as: UTF8.self).suffix(2000))")
        #expect(shot.status == 0, "chromium --screenshot failed: \(String(decoding: shot.error, as: UTF8.self).suffix(2000))")
        if shot.status == 0 {
            let documented = TestSupport.packageRoot.appendingPathComponent("docs/images/\(name)")
            try? FileManager.default.removeItem(at: documented)
            try FileManager.default.copyItem(at: screenshot, to: documented)
        }
        return String(decoding: dom.output, as: UTF8.self)
    }

    @Test func chromiumRendersTheLeaderboardHistogramAndHistory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestSupport.unique("dashboard"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let screenshot = directory.appendingPathComponent("dashboard.png")
        let ranking = fixture.ranking
        let top = try #require(ranking.first)
        let nonEmptyBins = fixture.context.queries.distribution(activeOnly: true).bins.filter { $0.count > 0 }.count
        let historyPoints = fixture.history.points(of: top.user).count
        #expect(historyPoints > 1)

        let html = try await render("/dashboard", fixture.context, into: screenshot, documentedAs: "dashboard.png", in: directory)

        // The DOM the page's script built from the API.
        #expect(html.contains("data-rendered=\"true\""), "the page reported an error or never finished rendering")
        #expect(html.components(separatedBy: "class=\"leader\"").count - 1 == min(20, ranking.count))
        #expect(html.contains(">\(top.user)</a>"))
        #expect(html.contains(String(format: "%.2f", top.score)))
        #expect(html.components(separatedBy: "class=\"bar\"").count - 1 == nonEmptyBins)
        #expect(html.contains("<polyline"))
        #expect(html.contains("id=\"network-twitter\""))
        // The pipeline panel, from /v1/pipeline.
        #expect(html.contains("id=\"pipeline-phase\""))
        #expect(html.contains("id=\"pipeline-messages\"><td>messages read</td><td class=\"num\">\(fixture.counters.messages)</td>"))
        #expect(html.contains("id=\"partition-lag-0\""))
        // The user's score explained by term, and the search box.
        #expect(html.contains("id=\"term-twitter\""))
        #expect(html.contains("id=\"search-user\""))

        // The pixels: one run of histogram colour per non-empty band, and the score line drawn.
        let python = try #require(TestSupport.python)
        let measured = try await Subprocess.run(
            python, ["-c", PNGColours.script, screenshot.path, DashboardPage.histogramColor, DashboardPage.historyColor])
        #expect(measured.status == 0, "\(String(decoding: measured.error, as: UTF8.self))")
        var found: [String: (pixels: Int, runs: Int)] = [:]
        for line in String(decoding: measured.output, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, let pixels = Int(fields[1]), let runs = Int(fields[2]) else { continue }
            found[String(fields[0])] = (pixels, runs)
        }
        let bars = try #require(found[DashboardPage.histogramColor])
        #expect(bars.runs == nonEmptyBins)
        // Each bar is at least 2 px tall and about 20 px wide.
        #expect(bars.pixels >= nonEmptyBins * 2 * 20)
        let line = try #require(found[DashboardPage.historyColor])
        #expect(line.pixels > 100)
    }

    @Test func chromiumRanksByTopicAndShowsTheUsersTopics() async throws {
        let topics = try ScoredFixture.topics()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestSupport.unique("dashboard-topics"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let screenshot = directory.appendingPathComponent("dashboard-topics.png")
        let running = topics.history.scores(inTopic: "running")
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let leader = try #require(running.first)

        let html = try await render("/dashboard?topic=running", topics.context, into: screenshot, documentedAs: "dashboard-topics.png", in: directory)
        #expect(html.contains("data-rendered=\"true\""), "the page reported an error or never finished rendering")
        // The selector lists every topic, and the leaderboard ranks by the chosen one.
        for name in ["running", "cooking", "chess", "jazz", "climate", "football", "gardening", "photography"] {
            #expect(html.contains("<option value=\"\(name)\">\(name) ("), "\(name)")
        }
        #expect(html.components(separatedBy: "class=\"leader\"").count - 1 == min(20, running.count))
        #expect(html.contains(">\(leader.key)</a>"))
        #expect(html.contains(String(format: "%.2f", leader.value)))
        // The first user shown is the topic's leader, with their topics explained.
        #expect(html.contains("id=\"topic-running\""))
    }
}
