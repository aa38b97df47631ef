import ResonanceEngine
import ResonanceHTTP
import ResonanceKafka
import Testing

/// The Prometheus text: counters follow the cumulative counters of successive reports, lag
/// series come and go with assignments, snapshot gauges appear once snapshots exist.
@Suite struct MetricsTests {
    private func partition(_ number: Int32) -> KafkaTopicPartition {
        KafkaTopicPartition(topic: "reactions", partition: number)
    }

    private func lines(_ text: String) -> Set<String> {
        Set(text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") })
    }

    @Test func countersAreDeltasOfCumulativeReports() {
        let metrics = PipelineMetrics()
        var counters = PipelineCounters()
        counters.messages = 10
        counters.applied = [.reaction: 6, .post: 2]
        counters.rejected = [.malformedJSON: 2]
        counters.changesPublished = 4
        metrics.record(PipelineProgress(counters: counters, partitions: [:], lag: [partition(0): 7], caughtUp: false, wallClock: 0))
        counters.messages = 25
        counters.applied = [.reaction: 18, .post: 3]
        counters.rejected = [.malformedJSON: 3, .unknownAction: 1]
        counters.changesPublished = 9
        metrics.record(PipelineProgress(
            counters: counters, partitions: [:], lag: [partition(0): 2, partition(1): 40], caughtUp: true, wallClock: 0,
            pausedPartitions: 1))
        let text = lines(metrics.exposition(wallClock: 0, scoreTableUsers: 12, isReady: true))
        #expect(text.contains("resonance_messages_total 25"))
        #expect(text.contains("resonance_events_total{kind=\"reaction\"} 18"))
        #expect(text.contains("resonance_events_total{kind=\"post\"} 3"))
        #expect(text.contains("resonance_events_total{kind=\"erase\"} 0"))
        #expect(text.contains("resonance_dead_lettered_total{reason=\"\(RejectionReason.malformedJSON.rawValue)\"} 3"))
        #expect(text.contains("resonance_dead_lettered_total{reason=\"\(RejectionReason.unknownAction.rawValue)\"} 1"))
        #expect(text.contains("resonance_score_changes_published_total 9"))
        #expect(text.contains("resonance_consumer_lag{topic=\"reactions\",partition=\"0\"} 2.0"))
        #expect(text.contains("resonance_consumer_lag{topic=\"reactions\",partition=\"1\"} 40.0"))
        #expect(text.contains("resonance_assigned_partitions 2.0"))
        #expect(text.contains("resonance_score_table_users 12.0"))
        #expect(text.contains("resonance_ready 1.0"))
        #expect(text.contains("resonance_paused_partitions 1.0"))
        #expect(!text.contains { $0.hasPrefix("resonance_snapshot_age_seconds") })
    }

    @Test func revokedPartitionsLeaveTheLagSeries() {
        let metrics = PipelineMetrics()
        metrics.record(PipelineProgress(counters: PipelineCounters(), partitions: [:], lag: [partition(0): 1, partition(3): 2], caughtUp: true, wallClock: 0))
        metrics.record(PipelineProgress(counters: PipelineCounters(), partitions: [:], lag: [partition(0): 1], caughtUp: true, wallClock: 0))
        let text = metrics.exposition(wallClock: 0, scoreTableUsers: 0, isReady: false)
        #expect(text.contains("partition=\"0\""))
        #expect(!text.contains("partition=\"3\""))
        #expect(lines(text).contains("resonance_ready 0.0"))
    }

    @Test func snapshotAgeIsMeasuredAtScrapeTime() {
        let metrics = PipelineMetrics()
        metrics.record(PipelineProgress(
            counters: PipelineCounters(), partitions: [:], lag: [:], caughtUp: true, wallClock: 10_000,
            lastSnapshotWallClock: 8_000, lastSnapshotDuration: .milliseconds(250), failedSnapshots: 2))
        let text = lines(metrics.exposition(wallClock: 20_000, scoreTableUsers: 0, isReady: true))
        #expect(text.contains("resonance_snapshot_age_seconds 12.0"))
        #expect(text.contains("resonance_snapshot_duration_seconds 0.25"))
        #expect(text.contains("resonance_snapshot_failures_total 2"))
    }
}
