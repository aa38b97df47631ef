import Foundation
import Logging
import ResonanceEngine
import ResonanceKafka

/// The local test broker (scripts/test starts it and exports its address), and helpers to set up
/// topics and read them back.
public enum BrokerSupport {
    /// `host:port` of the test broker, or `nil` when the integration tests cannot run.
    public static let address = ProcessInfo.processInfo.environment["RESONANCE_TEST_BROKERS"]

    public static var brokers: [String] { [address ?? "127.0.0.1:9092"] }

    /// A topic name no other test uses.
    public static func uniqueTopic(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    public static func createTopic(_ name: String, partitions: Int32) throws {
        let admin = try KafkaAdmin(configuration: AdminConfiguration(bootstrapServers: brokers))
        try admin.createTopic(KafkaNewTopic(name: name, partitions: partitions))
    }

    /// Produces each message (key, value, headers) in order and waits for delivery.
    public static func produce(_ messages: [(key: [UInt8]?, value: [UInt8]?)], topic: String) throws {
        let producer = try KafkaProducer(configuration: ProducerConfiguration(bootstrapServers: brokers))
        for message in messages {
            try producer.send(topic: topic, key: message.key, value: message.value)
        }
        try producer.flush(timeout: .seconds(30))
        precondition(producer.failedDeliveryCount == 0, "test messages were not delivered")
        try producer.close()
    }

    /// A message read back.
    public struct Record {
        public var partition: Int32
        public var offset: Int64
        public var key: [UInt8]?
        public var value: [UInt8]?
        public var headers: [String: String]
    }

    /// Reads every partition of `topic` from the beginning to its end.
    public static func readAll(_ topic: String) throws -> [Record] {
        let consumer = try KafkaConsumer(configuration: ConsumerConfiguration(bootstrapServers: brokers, groupID: nil))
        let partitions = try consumer.partitions(of: topic)
        try consumer.assign(Dictionary(uniqueKeysWithValues: partitions.map { ($0, KafkaOffset.beginning) }))
        var remaining = Set(partitions)
        var records: [Record] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while !remaining.isEmpty, ContinuousClock.now < deadline {
            let batch = try consumer.poll(maxMessages: 10_000, timeout: .milliseconds(200))
            for message in batch {
                var headers: [String: String] = [:]
                for header in message.headers {
                    headers[header.name] = header.value.map { String(decoding: $0, as: UTF8.self) }
                }
                records.append(Record(
                    partition: message.partition, offset: message.offset, key: message.key.map(Array.init),
                    value: message.value.map(Array.init), headers: headers))
            }
            for end in batch.partitionEnds { remaining.remove(end.topicPartition) }
        }
        try consumer.close()
        return records
    }

    /// A configuration for a pipeline on the test broker with fresh topics.
    public static func configuration(input: String, output: String) -> ResonanceConfiguration {
        var configuration = ResonanceConfiguration()
        configuration.kafka.brokers = brokers.joined(separator: ",")
        configuration.kafka.inputTopics = [input]
        configuration.kafka.outputTopic = output
        configuration.kafka.group = "test-\(input)"
        // The local broker forms a group in about 3 s with these, 23 s with the defaults.
        configuration.kafka.sessionTimeout = .seconds(6)
        configuration.kafka.heartbeatInterval = .milliseconds(500)
        configuration.state.directory = temporaryStateDirectory()
        return configuration
    }

    /// A state directory of its own, so that no pipeline in a test resumes another's snapshots.
    /// It lies under ``temporaryRoot``, which goes away when the test process ends.
    public static func temporaryStateDirectory() -> String {
        (temporaryRoot as NSString).appendingPathComponent("state-\(UUID().uuidString)")
    }

    /// This test process's directory for state and files, removed when it exits. Many tests end
    /// with a pipeline's snapshots on disk (a few hundred MB for a four-partition state); left in
    /// the temporary directory, every run of the suite added gigabytes. A directory left by a
    /// process that died is removed by the next run.
    public static let temporaryRoot: String = {
        let prefix = "resonance-tests-"
        let base = FileManager.default.temporaryDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: base.appendingPathComponent(name))
        }
        let root = base.appendingPathComponent("\(prefix)\(getpid())").path
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: BrokerSupport.temporaryRoot) }
        return root
    }()

    /// A new, empty directory of its own, created (the caller removes it).
    public static func makeTemporaryDirectory() throws -> String {
        let directory = temporaryStateDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    public static var logger: Logger {
        var logger = Logger(label: "resonance.test")
        logger.logLevel = .warning
        return logger
    }
}
