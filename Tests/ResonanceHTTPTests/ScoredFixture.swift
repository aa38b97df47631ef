import Foundation
import ResonanceEngine
import ResonanceHTTP
import ResonanceKafka
import ResonanceModel

/// Real scores to query: the first rows of Twitter15/16 run through a ``FileScorer`` (the same
/// partition processor as on Kafka), its published changes read back into a global score table
/// and a score history, and its final state shown to a ``PipelineView`` as the processing thread
/// would show it.
final class ScoredFixture: Sendable {
    /// Everything the server reads, with this instance owning the scored partition.
    let context: ServerContext
    /// The same table and history, with no partition owned here (another instance's view).
    let remoteContext: ServerContext
    let table: GlobalScoreTable
    let history: ScoreHistory
    let changes: [PublishedScore]
    let trackedUsers: Int
    let counters: PipelineCounters

    /// Built once; a failure (say, an unreadable `data/` file) fails each test that
    /// uses it, with the reason, instead of stopping the test process.
    static let built: Result<ScoredFixture, any Error> = Result { try ScoredFixture(events: TestSupport.twitterEvents(rows: 6_000)) }

    static func shared() throws -> ScoredFixture {
        do { return try built.get() } catch { throw FixtureError(reason: "cannot build the scored fixture: \(error)") }
    }

    /// A small generated topic world (data/README.md), scored the same way: users with topics.
    static let builtTopics: Result<ScoredFixture, any Error> = Result {
        var options = TopicWorld.Options()
        options.authors = 60
        options.fans = 600
        options.days = 30
        return try ScoredFixture(events: TopicWorld.events(options))
    }

    static func topics() throws -> ScoredFixture {
        do { return try builtTopics.get() } catch { throw FixtureError(reason: "cannot build the topic fixture: \(error)") }
    }

    struct FixtureError: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    init(events unsorted: [EncodedEvent]) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestSupport.unique("fixture"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let eventsPath = directory.appendingPathComponent("events.jsonl").path
        let changesPath = directory.appendingPathComponent("changes.jsonl").path
        let events = unsorted.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        var text = Data()
        for event in events {
            text.append(contentsOf: event.value)
            text.append(UInt8(ascii: "\n"))
        }
        try text.write(to: URL(fileURLWithPath: eventsPath))

        // Every change of a whole point is published, so users have a history to draw.
        var publishing = PublishingOptions()
        publishing.step = 1
        publishing.minimumInterval = .zero
        let configuration = ResonanceConfiguration()
        let scorer = try FileScorer(configuration: configuration.model, publishing: publishing)
        let output = try ByteOutput(path: changesPath)
        try scorer.run(input: try LineReader(path: eventsPath), output: output)
        try output.close()

        let table = GlobalScoreTable()
        let history = ScoreHistory(pointsPerUser: 50, usersWithHistory: 100_000)
        var changes: [PublishedScore] = []
        for line in try String(contentsOfFile: changesPath, encoding: .utf8).split(separator: "\n") {
            let change = try PublishedScore.decode(Array(line.utf8))
            changes.append(change)
            table.record(GlobalScoreTable.Entry(user: change.user, score: change.score, flagged: false, version: change.version, time: change.time))
            history.record(change)
        }

        let metrics = PipelineMetrics()
        let view = PipelineView(metrics: metrics)
        view.pipelineProgressed(PipelineProgress(
            counters: scorer.counters, partitions: [0: scorer.processor.observed()],
            lag: [KafkaTopicPartition(topic: "reactions", partition: 0): 0], caughtUp: true,
            wallClock: 1_700_000_000_000))
        let networks = Set(configuration.model.networkWeights.keys)
        context = ServerContext(
            queries: InfluenceQueries(view: view, table: table, history: history, configuredNetworks: networks),
            view: view, readinessPolicy: ReadinessPolicy(maxLag: 100), metrics: metrics, table: table)

        let remoteView = PipelineView()
        remoteView.pipelineProgressed(PipelineProgress(
            counters: PipelineCounters(), partitions: [:], lag: [:], caughtUp: true, wallClock: 1_700_000_000_000))
        remoteContext = ServerContext(
            queries: InfluenceQueries(view: remoteView, table: table, history: history, configuredNetworks: networks),
            view: remoteView, readinessPolicy: ReadinessPolicy(), metrics: PipelineMetrics(), table: table)
        self.table = table
        self.history = history
        self.changes = changes
        self.trackedUsers = scorer.processor.state.trackedUserCount
        self.counters = scorer.counters
    }

    /// The users by latest published score, highest first (ties by id), as a leaderboard ranks them.
    var ranking: [(user: String, score: Double)] {
        table.allEntries().map { ($0.user, $0.score) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.user < $1.user }
    }
}
