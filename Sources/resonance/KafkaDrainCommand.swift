import ArgumentParser
import Foundation
import Logging
import ResonanceKafka

/// `resonance kafka-drain`: reads a whole topic as fast as the Kafka client can, to measure its
/// raw consume rate (no group, no processing beyond touching every payload byte).
struct KafkaDrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-drain",
        abstract: "Read every partition of a topic from the beginning to its end and print the consume rate."
    )

    @Option(help: "Bootstrap broker(s), host:port[,host:port...].")
    var brokers: String

    @Option(help: "The topic to read.")
    var topic: String

    @Option(help: "Most messages per batch consume call.")
    var batchSize: Int = 20_000

    @Option(help: "Seconds to wait for a broker before giving up.")
    var connectTimeout: Int = 10

    // A sync command: the blocking polls run on the main thread, not on Swift's cooperative pool.
    func run() throws {
        do {
            let summary = try drain()
            let seconds = Double(summary.elapsed.components.seconds)
                + Double(summary.elapsed.components.attoseconds) / 1e18
            let rate = seconds > 0 ? Double(summary.messages) / seconds : 0
            print("messages \(summary.messages)")
            print("bytes \(summary.bytes)")
            print("checksum \(summary.checksum)")
            print("seconds \(String(format: "%.3f", seconds))")
            print("messages/s \(Int(rate))")
        } catch {
            // One line, no usage text: this is a runtime failure, not a command-line mistake.
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
    }

    private struct Summary {
        var messages = 0
        var bytes = 0
        /// Sum of every value byte: proof that each payload was read, not just counted.
        var checksum: UInt64 = 0
        var elapsed: Duration = .zero
    }

    private func drain() throws(KafkaError) -> Summary {
        try KafkaLibrary.requireSupportedVersion()
        var configuration = ConsumerConfiguration(
            bootstrapServers: brokers.split(separator: ",").map(String.init), groupID: nil
        )
        configuration.client.connectTimeout = .seconds(connectTimeout)
        // librdkafka's retry chatter would bury the one error line this command prints itself.
        var logger = Logger(label: "resonance.kafka-drain")
        logger.logLevel = .critical
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        defer { try? consumer.close() }
        let partitions = try consumer.partitions(of: topic)
        let clock = ContinuousClock()
        let start = clock.now
        try consumer.assign(Dictionary(uniqueKeysWithValues: partitions.map { ($0, KafkaOffset.beginning) }))
        var summary = Summary()
        var ended = Set<KafkaTopicPartition>()
        // The end of a partition is its EOF event: this broker's high watermark can be short.
        while ended.count < partitions.count {
            let batch = try consumer.poll(maxMessages: batchSize, timeout: .milliseconds(20))
            if let error = batch.errors.first { throw error }
            for message in batch {
                guard let value = message.value else { continue }
                summary.bytes &+= value.count
                var sum: UInt64 = 0
                for byte in value { sum &+= UInt64(byte) }
                summary.checksum &+= sum
            }
            summary.messages += batch.count
            ended.formUnion(batch.partitionEnds.map(\.topicPartition))
        }
        summary.elapsed = clock.now - start
        return summary
    }
}
