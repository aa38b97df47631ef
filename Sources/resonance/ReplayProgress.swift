import Foundation
import Logging
import ResonanceEngine
import ResonanceKafka

/// Shows a replay's progress: a redrawn line on a terminal (events, rate, ETA, lag per
/// partition), a log line every 10 s otherwise.
final class ReplayProgress: PipelineObserver, @unchecked Sendable {
    private let ends: [KafkaTopicPartition: Int64]
    private let interactive: Bool
    private let logger: Logger
    private let started = ContinuousClock.now
    private var lastLog = ContinuousClock.now

    init(ends: [KafkaTopicPartition: Int64], interactive: Bool, logger: Logger) {
        self.ends = ends
        self.interactive = interactive
        self.logger = logger
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
            let line = String(format: "\r[%@] %3.0f%%  %d events  %.0f/s  ETA %.0fs  lag %@\u{1B}[K", bar, fraction * 100, events, rate, eta, lags)
            FileHandle.standardError.write(Data(line.utf8))
        } else if lastLog.duration(to: .now) >= .seconds(10) {
            lastLog = .now
            logger.info("replay: \(events) events, \(Int(rate))/s, \(Int(fraction * 100))% done, ETA \(Int(eta)) s, lag \(lags)")
        }
    }

    func finish(_ counters: PipelineCounters) {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
        let elapsed = started.duration(to: .now).seconds
        logger.info("replay done: \(counters.messages) events (\(counters.appliedTotal) applied, \(counters.rejectedTotal) dead-lettered) in \(String(format: "%.1f", elapsed)) s; snapshots written")
    }
}
