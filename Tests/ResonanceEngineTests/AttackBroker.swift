import Foundation
import Logging
import ResonanceEngine
import ResonanceKafka
import ResonanceModel
import ResonanceTestSupport

/// Runs events through the real pipeline: produced with the Kafka producer (murmur2, as
/// `resonance produce` does) to a topic of their own, scored by ``StreamProcessor`` in
/// `.untilCaughtUp` mode with scores and dead letters to topics of their own.
///
/// The topics have one partition, so every actor is tracked in the same state as the target and
/// its *Who* standing is read from that state: the outcome is exact and the same on every run,
/// not dependent on how fast the score-table follower reads the scores topic.
enum AttackBroker {
    /// The local broker, from `RESONANCE_TEST_BROKERS` (`scripts/broker start` prints it).
    static let brokers: String? = ProcessInfo.processInfo.environment["RESONANCE_TEST_BROKERS"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// What one run left behind.
    struct Outcome {
        /// The partition states after the run (one partition).
        var states: [InfluenceState]
        /// Events applied and rejected, and score changes published.
        var counters: PipelineCounters

        /// A user's score at `time` (by decay from the last event), 1 for a user not tracked.
        func score(of user: String, at time: Int64 = AttackWorld.evaluationTime) -> Double {
            for state in states {
                if let handle = state.handle(of: user), state.isTracked(handle) { return state.score(of: handle, at: time) }
            }
            return 1
        }

        /// Every tracked user's score at `time`, by user id.
        func allScores(at time: Int64 = AttackWorld.evaluationTime) -> [String: Double] {
            var scores: [String: Double] = [:]
            for state in states {
                state.forEachTrackedUser { handle in
                    if let user = state.userID(of: handle) { scores[user] = state.score(of: handle, at: time) }
                }
            }
            return scores
        }
    }

    static let partitions: Int32 = 4

    /// Produces `events` in order to a new topic and scores it to the end.
    static func run(_ events: [EncodedEvent], purpose: String) throws -> Outcome {
        guard let brokers else { throw KafkaError(.brokerUnreachable, "RESONANCE_TEST_BROKERS is not set") }
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let input = "resonance-attack-\(purpose)-\(suffix)"
        let admin = try KafkaAdmin(configuration: AdminConfiguration(bootstrapServers: [brokers]))
        // Four partitions: the target's events all land in one, the actors' standings come from
        // all of them, and the results equal a one-partition run's (Who is read from standings).
        try admin.createTopic(KafkaNewTopic(name: input, partitions: partitions))

        var producerConfiguration = ProducerConfiguration(bootstrapServers: [brokers])
        producerConfiguration.partitioner = .murmur2Random
        producerConfiguration.client.clientID = "resonance-attack-suite"
        let producer = try KafkaProducer(configuration: producerConfiguration)
        for event in events {
            try producer.send(topic: input, key: event.key, value: event.value)
        }
        try producer.flush(timeout: .seconds(60))
        let failed = producer.failedDeliveryCount
        try producer.close()
        guard failed == 0 else { throw KafkaError(.timedOut, "\(failed) of \(events.count) events were not delivered") }

        var configuration = ResonanceConfiguration()
        configuration.kafka.brokers = brokers
        configuration.kafka.inputTopics = [input]
        configuration.kafka.outputTopic = "\(input).scores"
        configuration.kafka.deadLetterTopic = "\(input).dead-letter"
        configuration.kafka.partitions = Int(partitions)
        // Every run starts from nothing: its own state directory, never another run's snapshots.
        configuration.state.directory = BrokerSupport.temporaryStateDirectory()
        var logger = Logger(label: "resonance.attack-suite")
        logger.logLevel = .warning
        let processor = StreamProcessor(configuration: configuration, mode: .untilCaughtUp, logger: logger)
        try processor.run(stop: StopSignal())
        return Outcome(states: processor.partitionStates.map(\.state), counters: processor.counters)
    }
}
