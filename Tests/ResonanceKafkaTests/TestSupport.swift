import Foundation
import ResonanceKafka
import Synchronization

/// Shared helpers for the Kafka tests.
enum TestSupport {
    /// The real broker for integration tests, from `RESONANCE_TEST_BROKERS` (scripts/broker start
    /// prints it); `nil` disables them.
    static let brokers: String? = ProcessInfo.processInfo.environment["RESONANCE_TEST_BROKERS"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// A topic name no other test or run uses.
    static func uniqueTopic(_ purpose: String) -> String {
        "resonance-test-\(purpose)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Consumer settings that make Tansu's group joins take seconds rather than ~23 s.
    static func consumerConfiguration(brokers: String, groupID: String?) -> ConsumerConfiguration {
        var configuration = ConsumerConfiguration(bootstrapServers: [brokers], groupID: groupID)
        configuration.sessionTimeout = .seconds(6)
        configuration.heartbeatInterval = .milliseconds(500)
        configuration.client.connectTimeout = .seconds(5)
        return configuration
    }

    /// Reads assigned partitions until every one of `partitions` reported its end, or `deadline`.
    /// Returns the keys seen in order, as strings.
    static func drain(_ consumer: KafkaConsumer, partitions: Set<KafkaTopicPartition>, deadline: Duration = .seconds(60)) throws -> [String] {
        var keys: [String] = []
        var ended = Set<KafkaTopicPartition>()
        let clock = ContinuousClock()
        let start = clock.now
        while ended != partitions, clock.now - start < deadline {
            let batch = try consumer.poll(maxMessages: 5_000, timeout: .milliseconds(200))
            for message in batch {
                keys.append(message.key.map { String(decoding: $0, as: UTF8.self) } ?? "")
            }
            for end in batch.partitionEnds { ended.insert(end.topicPartition) }
        }
        return keys
    }
}

/// A value several threads update, for recording what callbacks saw.
final class Recorder<Value: Sendable>: Sendable {
    private let state: Mutex<Value>

    init(_ initial: Value) { state = Mutex(initial) }

    func update<Result>(_ body: (inout Value) -> Result) -> Result { state.withLock { body(&$0) } }

    var value: Value { state.withLock { $0 } }
}
