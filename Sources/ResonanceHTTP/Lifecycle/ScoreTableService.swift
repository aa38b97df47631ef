import Logging
import ResonanceEngine
import ServiceLifecycle

/// The reader of the scores topic as a `Service`: once the pipeline has checked and created its
/// topics, follows the scores topic into the table the HTTP API answers from (and the history
/// the dashboard draws), until graceful shutdown. Only the HTTP API reads the table, so an
/// instance without it (`http.port` 0, as in rebuilds) runs no such service.
public final class ScoreTableService: Service, Sendable {
    private let configuration: ResonanceConfiguration
    private let processor: StreamProcessor
    private let table: GlobalScoreTable
    private let listener: (any ScoreChangeListener)?
    private let logger: Logger

    /// Fills `table` (and shows `listener` every change) from the scores topic `processor` writes.
    public init(
        configuration: ResonanceConfiguration, processor: StreamProcessor, table: GlobalScoreTable,
        listener: (any ScoreChangeListener)?, logger: Logger
    ) {
        self.configuration = configuration
        self.processor = processor
        self.table = table
        self.listener = listener
        self.logger = logger
    }

    /// Waits for the topics, then follows until graceful shutdown or cancellation.
    public func run() async throws {
        // The pipeline creates the scores topic when it is missing: reading it earlier would
        // find nothing to read (or, on a broker that creates topics on use, the wrong topic).
        while processor.preparedTopics == nil {
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
        let follower = try ScoreTableFollower(
            brokers: configuration.kafka.brokerList, topic: configuration.kafka.outputTopic,
            properties: configuration.kafka.properties, table: table, listener: listener, logger: logger)
        let stop = StopSignal()
        try await DedicatedThread.run(name: "resonance.score-table", stop: stop, cancellationGrace: .seconds(1)) {
            follower.follow(until: stop)
        }
    }
}
