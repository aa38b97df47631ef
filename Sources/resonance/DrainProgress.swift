import ArgumentParser
import Foundation
import ResonanceEngine
import ResonanceKafka

/// Shows how far a run that reads its input topics to their end has got, through
/// ``StepProgress``: messages done of the input's end offsets, with the lag per partition.
/// `replay` and `run --until-caught-up` show it; `--no-progress` turns it off.
final class DrainProgress: PipelineObserver, @unchecked Sendable {
    private let ends: [KafkaTopicPartition: Int64]
    private let step: StepProgress

    /// Progress of `label` towards `ends`.
    init(_ label: String, ends: [KafkaTopicPartition: Int64]) {
        self.ends = ends
        step = StepProgress(label)
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
        var lags: [String] = []
        var remaining: Int64 = 0
        for (topicPartition, end) in ends.sorted(by: { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }) {
            let lag = max(0, end - (progress.nextOffsets[topicPartition] ?? 0))
            remaining += lag
            lags.append("\(topicPartition.partition):\(lag)")
        }
        let total = Int(ends.values.reduce(0, +))
        step.report(max(0, total - Int(remaining)), of: total, detail: "lag " + lags.joined(separator: " "))
    }

    /// Ends the bar's line.
    func finish() {
        step.finish()
    }
}
