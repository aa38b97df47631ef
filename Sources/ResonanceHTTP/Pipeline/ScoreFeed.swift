import Foundation
import Logging
import ResonanceEngine
import ResonanceKafka
import ServiceLifecycle

/// Follows the whole scores topic into a ``ScoreHistory``: every instance reads every published
/// change, so the dashboard's history and the per-network leaderboards answer for every user,
/// whichever instance owns them.
///
/// The engine's own follower keeps only what scoring needs (score, flagged, version) to stay
/// fast; this one decodes whole changes, on its own thread, and may lag behind without slowing
/// scoring.
public final class ScoreFeed: Service, Sendable {
    private let brokers: [String]
    private let topic: String
    private let properties: [String: String]
    private let history: ScoreHistory
    private let logger: Logger

    /// A feed of `topic` on `brokers` into `history`.
    public init(brokers: [String], topic: String, properties: [String: String] = [:], history: ScoreHistory, logger: Logger) {
        self.brokers = brokers
        self.topic = topic
        self.properties = properties
        self.history = history
        self.logger = logger
    }

    /// Follows until graceful shutdown or cancellation.
    public func run() async throws {
        let stop = StopSignal()
        // Nothing to flush: once cancelled, do not wait for a poll or metadata request to end.
        try await DedicatedThread.run(name: "resonance.score-feed", stop: stop, cancellationGrace: .milliseconds(500)) { [self] in
            try follow(stop: stop)
        }
    }

    private func follow(stop: StopSignal) throws {
        var configuration = ConsumerConfiguration(bootstrapServers: brokers, groupID: nil)
        configuration.client.additionalProperties = properties
        configuration.client.clientID = "resonance-score-feed"
        configuration.enablePartitionEOF = false
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        defer { try? consumer.close() }
        // The processor creates the scores topic when it starts: wait for it rather than fail.
        var partitions: [KafkaTopicPartition] = []
        while partitions.isEmpty {
            if stop.isRaised { return }
            partitions = (try? consumer.partitions(of: topic)) ?? []
            if partitions.isEmpty { Thread.sleep(forTimeInterval: 0.2) }
        }
        try consumer.assign(Dictionary(uniqueKeysWithValues: partitions.map { ($0, KafkaOffset.beginning) }))
        while !stop.isRaised {
            let batch: KafkaMessageBatch
            do {
                batch = try consumer.poll(maxMessages: 10_000, timeout: .milliseconds(100))
            } catch {
                logger.error("score feed: cannot read \(topic): \(error.message)")
                Thread.sleep(forTimeInterval: 1)
                continue
            }
            for message in batch {
                guard let key = message.key else { continue }
                guard let value = message.value else {
                    history.remove(user: String(decoding: key, as: UTF8.self))
                    continue
                }
                do {
                    history.record(try PublishedScore.decode(value))
                } catch {
                    logger.warning("score feed: skipping an unreadable change at \(topic)[\(message.partition)]@\(message.offset)")
                }
            }
        }
    }
}
