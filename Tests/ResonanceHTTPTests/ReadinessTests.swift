import ResonanceEngine
import ResonanceHTTP
import ResonanceKafka
import Testing

/// Every rule of `/readyz`, on progress reports built by hand.
@Suite struct ReadinessTests {
    let policy = ReadinessPolicy(maxLag: 100)

    private func progress(caughtUp: Bool, lag: [Int32: Int64]) -> PipelineProgress {
        PipelineProgress(
            counters: PipelineCounters(), partitions: [:],
            lag: Dictionary(uniqueKeysWithValues: lag.map { (KafkaTopicPartition(topic: "reactions", partition: $0.key), $0.value) }),
            caughtUp: caughtUp, wallClock: 0)
    }

    @Test func notReadyBeforeTheFirstReport() {
        let readiness = policy.evaluate(phase: .starting, progress: nil)
        #expect(!readiness.ready)
        #expect(readiness.reason.hasPrefix("starting"))
    }

    @Test func notReadyWhileRestoring() {
        let readiness = policy.evaluate(phase: .running, progress: progress(caughtUp: false, lag: [0: 0, 1: 5]))
        #expect(!readiness.ready)
        #expect(readiness.reason.hasPrefix("restoring"))
        #expect(readiness.assignedPartitions == 2)
    }

    @Test func notReadyWhenAPartitionLagsBeyondTheBound() {
        let readiness = policy.evaluate(phase: .running, progress: progress(caughtUp: true, lag: [0: 3, 1: 101]))
        #expect(!readiness.ready)
        #expect(readiness.maxLag == 101)
        #expect(readiness.reason.contains("reactions[1]") && readiness.reason.contains("101"))
    }

    @Test func readyAtTheBound() {
        let readiness = policy.evaluate(phase: .running, progress: progress(caughtUp: true, lag: [0: 100, 1: 0]))
        #expect(readiness.ready)
        #expect(readiness.maxLag == 100)
    }

    @Test func readyWithNoPartitionAssigned() {
        let readiness = policy.evaluate(phase: .running, progress: progress(caughtUp: true, lag: [:]))
        #expect(readiness.ready)
        #expect(readiness.maxLag == nil)
    }

    @Test(arguments: [PipelinePhase.stopping, .stopped])
    func notReadyWhileShuttingDown(phase: PipelinePhase) {
        let readiness = policy.evaluate(phase: phase, progress: progress(caughtUp: true, lag: [0: 0]))
        #expect(!readiness.ready)
        #expect(readiness.phase == phase)
    }

    @Test func viewPhasesOnlyMoveForward() {
        let view = PipelineView()
        #expect(view.phase == .starting)
        view.pipelineProgressed(progress(caughtUp: true, lag: [:]))
        #expect(view.phase == .running)
        view.enter(.stopped)
        view.enter(.stopping)
        #expect(view.phase == .stopped)
    }
}
