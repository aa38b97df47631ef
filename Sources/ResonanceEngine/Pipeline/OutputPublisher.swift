import Foundation
import Logging
import ResonanceKafka

/// Everything an instance writes to Kafka, through one producer: score changes to the scores
/// topic, standings and close markers to the standings topic, rejected input to the dead-letter
/// topic. Every record goes to the partition it came from (the topics are co-partitioned). Sends
/// never throw at the caller: the first failure is kept on the sending ``Lane`` (a lane may run
/// beside others), and delivery failures reported later on the producer's poll thread in
/// ``firstDeliveryFailure``; the processing thread checks both between passes.
final class OutputPublisher: @unchecked Sendable {
    /// How long the producer waits to fill a batch. Longer than librdkafka's 5 ms: fewer, larger
    /// produce requests cost the broker less CPU and cut the tail latency under load for a few ms
    /// more at the median (`scripts/bench-latency` measures both). Kafka Streams batches its
    /// output for 100 ms. `linger.ms` in `[kafka.properties]` overrides it.
    static let linger: Duration = .milliseconds(20)

    private let producer: KafkaProducer
    private let scoresTopic: String
    private let standingsTopic: String
    private let deadLetterTopic: String
    private let failures: DeliveryFailures

    /// Connects a producer for `configuration`'s topics and `standingsTopic`.
    init(configuration: ResonanceConfiguration, brokers: [String], standingsTopic: String, logger: Logger) throws(KafkaError) {
        var producerConfiguration = ProducerConfiguration(bootstrapServers: brokers)
        producerConfiguration.linger = Self.linger
        producerConfiguration.client.additionalProperties = configuration.kafka.properties
        producerConfiguration.client.clientID = "resonance"
        let failures = DeliveryFailures()
        self.failures = failures
        producer = try KafkaProducer(configuration: producerConfiguration, deliveryFailureHandler: { failure in
            failures.record(failure)
        }, logger: logger)
        scoresTopic = configuration.kafka.outputTopic
        self.standingsTopic = standingsTopic
        deadLetterTopic = configuration.kafka.resolvedDeadLetterTopic
    }

    /// The first record the broker did not take, if any.
    var firstDeliveryFailure: KafkaError? { failures.first }

    /// Publishes a score change (a tombstone for an erased user).
    func publish(_ change: ScoreChange, through lane: Lane) {
        lane.counters.changesPublished += 1
        if change.encodedValue(into: &lane.json) {
            let value = lane.json.bytes
            lane.note(Result { () throws(KafkaError) in
                try producer.send(topic: scoresTopic, key: change.user, value: value, partition: change.partition)
            })
        } else {
            lane.counters.tombstonesPublished += 1
            lane.note(Result { () throws(KafkaError) in
                try producer.send(topic: scoresTopic, key: change.user, value: nil, partition: change.partition)
            })
        }
    }

    /// Publishes a standing, a withdrawn standing, or a close marker of `partition`.
    func publishStandings(_ record: PartitionProcessor.StandingsRecord, partition: Int32, through lane: Lane) {
        switch record {
        case .standing(let user, let update):
            if update.standing != nil {
                lane.note(StandingsWire.withStandingValue(update) { bytes in
                    Result { () throws(KafkaError) in
                        try producer.send(topic: standingsTopic, key: user, value: bytes, partition: partition)
                    }
                })
            } else {
                let headers = [KafkaHeader(name: StandingsWire.epochHeader, value: StandingsWire.epochValue(update.epoch))]
                lane.note(Result { () throws(KafkaError) in
                    try producer.send(topic: standingsTopic, key: user, value: nil, headers: headers, partition: partition)
                })
            }
        case .closed(let through, let durable):
            let value = StandingsWire.markerValue(closedThrough: through, durable: durable)
            lane.note(Result { () throws(KafkaError) in
                try producer.send(topic: standingsTopic, key: StandingsWire.markerKey, value: value, partition: partition)
            })
        }
    }

    /// Sends a rejected message to the dead-letter topic, whole, with headers that say where it
    /// came from and why; counts it and keeps it for the warning log.
    func deadLetter(_ message: KafkaMessage, _ rejection: EventRejection, through lane: Lane) {
        lane.counters.rejected[rejection.reason, default: 0] += 1
        let topic = message.topic
        var headers = message.headers
        headers.append(KafkaHeader(name: "resonance.source.topic", value: Array(topic.utf8)))
        headers.append(KafkaHeader(name: "resonance.source.partition", value: Array(String(message.partition).utf8)))
        headers.append(KafkaHeader(name: "resonance.source.offset", value: Array(String(message.offset).utf8)))
        headers.append(KafkaHeader(name: "resonance.reason", value: Array(rejection.reason.rawValue.utf8)))
        headers.append(KafkaHeader(name: "resonance.detail", value: Array(rejection.detail.utf8)))
        lane.note(Result { () throws(KafkaError) in
            try producer.send(
                topic: deadLetterTopic, key: message.key, value: message.value, headers: headers, partition: message.partition)
        })
        lane.deadLetters.append((rejection, "\(topic)[\(message.partition)]@\(message.offset)"))
    }

    /// Waits until everything sent so far is delivered (or `timeout` passes).
    func flush(timeout: Duration) throws(KafkaError) {
        try producer.flush(timeout: timeout)
    }

    /// Flushes and closes the producer.
    func close(timeout: Duration) throws(KafkaError) {
        try producer.close(timeout: timeout)
    }
}

/// Delivery failures reported on a producer's poll thread, kept for the threads that sent.
final class DeliveryFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var firstFailure: KafkaError?
    private var failures = 0

    func record(_ failure: KafkaDeliveryFailure) {
        lock.lock()
        defer { lock.unlock() }
        if firstFailure == nil { firstFailure = failure.error }
        failures += 1
    }

    /// The first failure, if any.
    var first: KafkaError? {
        lock.lock()
        defer { lock.unlock() }
        return firstFailure
    }

    /// Failures so far.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return failures
    }
}
