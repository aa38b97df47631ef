import ResonanceEngine
import ResonanceHTTP
import ResonanceKafka
import ResonanceModel
import Testing

/// Every rule of `/readyz`, on progress reports built by hand.
@Suite struct ReadinessTests {
    let policy = ReadinessPolicy(maxLag: 100)

    private func progress(caughtUp: Bool, lag: [Int32: Int64]) throws -> PipelineProgress {
        var partitions: [Int32: ObservedPartition] = [:]
        for partition in lag.keys {
            partitions[partition] = try PartitionProcessor(partition: partition, configuration: ModelConfiguration()).observed()
        }
        return PipelineProgress(
            counters: PipelineCounters(), partitions: partitions,
            lag: Dictionary(uniqueKeysWithValues: lag.map { (KafkaTopicPartition(topic: "reactions", partition: $0.key), $0.value) }),
            caughtUp: caughtUp, wallClock: 0)
    }

    @Test func notReadyBeforeTheFirstReport() {
        let readiness = policy.evaluate(phase: .starting, progress: nil)
        #expect(!readiness.ready)
        #expect(readiness.reason.hasPrefix("starting"))
    }

    @Test func notReadyWhileRestoring() throws {
        let readiness = policy.evaluate(phase: .running, progress: try progress(caughtUp: false, lag: [0: 0, 1: 5]))
        #expect(!readiness.ready)
        #expect(readiness.reason.hasPrefix("restoring"))
        #expect(readiness.assignedPartitions == 2)
    }

    @Test func notReadyWhenAPartitionLagsBeyondTheBound() throws {
        let readiness = policy.evaluate(phase: .running, progress: try progress(caughtUp: true, lag: [0: 3, 1: 101]))
        #expect(!readiness.ready)
        #expect(readiness.maxLag == 101)
        #expect(readiness.reason.contains("reactions[1]") && readiness.reason.contains("101"))
    }

    @Test func readyAtTheBound() throws {
        let readiness = policy.evaluate(phase: .running, progress: try progress(caughtUp: true, lag: [0: 100, 1: 0]))
        #expect(readiness.ready)
        #expect(readiness.maxLag == 100)
    }

    @Test func notReadyBeforePartitionsAreAssigned() throws {
        // Before the first rebalance nothing is awaited, so the pipeline reports caught up.
        let readiness = policy.evaluate(phase: .running, progress: try progress(caughtUp: true, lag: [:]))
        #expect(!readiness.ready)
        #expect(readiness.reason.hasPrefix("starting"))
        #expect(readiness.maxLag == nil)
    }

    @Test(arguments: [PipelinePhase.stopping, .stopped])
    func notReadyWhileShuttingDown(phase: PipelinePhase) throws {
        let readiness = policy.evaluate(phase: phase, progress: try progress(caughtUp: true, lag: [0: 0]))
        #expect(!readiness.ready)
        #expect(readiness.phase == phase)
    }

    @Test func viewPhasesOnlyMoveForward() throws {
        let view = PipelineView()
        #expect(view.phase == .starting)
        view.pipelineProgressed(try progress(caughtUp: true, lag: [:]))
        #expect(view.phase == .running)
        view.enter(.stopped)
        view.enter(.stopping)
        #expect(view.phase == .stopped)
    }
}
