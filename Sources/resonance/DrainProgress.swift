import ArgumentParser
import Foundation
import Logging
import ResonanceEngine
import ResonanceKafka

/// Shows how far a run that reads its input topics to their end has got: a redrawn line on a
/// terminal (events, rate, ETA, lag per partition), a log line every 5 s otherwise (logs, CI).
/// `replay` and `run --until-caught-up` show it; `--no-progress` turns it off.
final class DrainProgress: PipelineObserver, @unchecked Sendable {
    private let label: String
    private let ends: [KafkaTopicPartition: Int64]
    private let interactive: Bool
    private let logger: Logger
    private let started = ContinuousClock.now
    private var lastLog = ContinuousClock.now

    /// Progress of `label` towards `ends`; a bar when standard error is a terminal.
    init(_ label: String, ends: [KafkaTopicPartition: Int64], logger: Logger) {
        self.label = label
        self.ends = ends
        self.interactive = isatty(STDERR_FILENO) == 1
        self.logger = logger
    }

    /// Each input partition's end offset now (the broker's high watermark), for the ETA.
    static func endOffsets(_ configuration: ResonanceConfiguration) throws -> [KafkaTopicPartition: Int64] {
        var adminConfiguration = AdminConfiguration(bootstrapServers: configuration.kafka.brokerList)
        adminConfiguration.client.additionalProperties = configuration.kafka.properties
        var ends: [KafkaTopicPartition: Int64] = [:]
        do {
            let admin = try KafkaAdmin(configuration: adminConfiguration)
            for topic in configuration.kafka.inputTopics {
                for partition in try admin.describeTopic(topic, includeWatermarks: true).partitions {
                    ends[KafkaTopicPartition(topic: topic, partition: partition.partition)] = partition.watermarks?.high ?? 0
                }
            }
        } catch {
            throw ValidationError(error.message)
        }
        return ends
    }

    func pipelineProgressed(_ progress: PipelineProgress) {
        let elapsed = started.duration(to: .now).seconds
        let events = progress.counters.messages
        let rate = Double(events) / max(elapsed, 1e-3)
        var lag: [(KafkaTopicPartition, Int64)] = []
        for (topicPartition, end) in ends.sorted(by: { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }) {
            lag.append((topicPartition, max(0, end - (progress.nextOffsets[topicPartition] ?? 0))))
        }
        let remaining = lag.reduce(0) { $0 + $1.1 }
        let total = ends.values.reduce(0, +)
        let fraction = total > 0 ? min(1, Double(total - remaining) / Double(total)) : 1
        let eta = rate > 0 ? Double(remaining) / rate : 0
        let lags = lag.map { "\($0.0.partition):\($0.1)" }.joined(separator: " ")
        if interactive {
            let width = 24
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let line = String(format: "\r%@ [%@] %3.0f%%  %d events  %.0f/s  ETA %.0fs  lag %@\u{1B}[K", label, bar, fraction * 100, events, rate, eta, lags)
            FileHandle.standardError.write(Data(line.utf8))
        } else if lastLog.duration(to: .now) >= .seconds(5) {
            lastLog = .now
            logger.notice("\(label): \(events) events, \(Int(rate))/s, \(Int(fraction * 100))% done, ETA \(Int(eta)) s, lag \(lags)")
        }
    }

    /// Ends the bar's line.
    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
