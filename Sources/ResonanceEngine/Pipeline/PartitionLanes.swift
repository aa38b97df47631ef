import Dispatch
import Foundation
import ResonanceKafka
import Synchronization

/// What one thread applying messages counts and publishes through, kept apart from the other
/// lanes' so that no two threads write the same memory; summed and read on the processing thread
/// between passes. Lane 0 also serves the processing thread's own publishing (ticks, closes,
/// shutdown).
final class Lane: @unchecked Sendable {
    var counters = PipelineCounters()
    var json = JSONWriter(reservingCapacity: 512)
    /// The first send that failed on this lane.
    var sendError: KafkaError?
    /// Rejections to log (rate-limited) once the pass is over.
    var deadLetters: [(rejection: EventRejection, source: String)] = []

    /// Keeps the first failure of a send.
    func note(_ result: Result<Void, KafkaError>) {
        if case .failure(let error) = result, sendError == nil { sendError = error }
    }
}

/// The threads that apply queued messages, one ``Lane`` each: a pass lets each take whichever
/// partition is free and has messages, apply them until it must wait or has none left, and move
/// on, for as long as any partition can go on (one partition's close can release another).
/// Partitions are independent but for *Who*, which each reads only as of epochs every partition
/// has closed, so the result does not depend on the threads.
final class PartitionLanes: @unchecked Sendable {
    /// One per thread; lane 0 is also the processing thread's.
    let lanes: [Lane]
    /// Counts each time a lane gave back a partition it moved on (applied a message, or closed an
    /// epoch): a lane stops only after a look at every partition during which this did not move.
    private let passProgress = Atomic<Int>(0)

    init(count: Int) {
        lanes = (0..<max(1, count)).map { _ in Lane() }
    }

    /// The lane the processing thread publishes through outside passes.
    var main: Lane { lanes[0] }

    /// What every lane has counted.
    var counters: PipelineCounters {
        lanes.reduce(into: PipelineCounters()) { total, lane in total.add(lane.counters) }
    }

    /// The first send that failed, on any lane.
    var sendError: KafkaError? { lanes.lazy.compactMap(\.sendError).first }

    /// Applies the queued messages of `partitions` with `apply` (false: the message must wait for
    /// other partitions) on as many lanes as there are, or as partitions with messages. Returns
    /// once no partition can go on until more input or a close arrives.
    func drain(_ partitions: [OwnedPartition], apply: @Sendable (QueuedMessage, OwnedPartition, Lane) -> Bool) {
        let ready = partitions.filter { $0.queuedCount > 0 }
        guard !ready.isEmpty else { return }
        let laneCount = min(lanes.count, ready.count)
        if laneCount == 1 {
            drain(ready, lane: lanes[0], apply: apply)
        } else {
            DispatchQueue.concurrentPerform(iterations: laneCount) { lane in
                drain(ready, lane: lanes[lane], apply: apply)
            }
        }
    }

    /// Hands every lane's rejections, in lane order, to `log`, and forgets them.
    func takeDeadLetters(_ log: (EventRejection, String) -> Void) {
        for lane in lanes where !lane.deadLetters.isEmpty {
            for (rejection, source) in lane.deadLetters { log(rejection, source) }
            lane.deadLetters.removeAll(keepingCapacity: true)
        }
    }

    /// One lane's share of a pass. It stops after a look at every partition in which it moved none
    /// on, found none held by another lane, and saw no lane move one on since the look began:
    /// then no partition can go on until more input or a close arrives. (A close counts as moving
    /// on: it can release other partitions.) A lane that stops while another still works costs
    /// only parallelism: the lanes still running take over its partitions, and anything left is
    /// taken up by the next pass. Waiting while any partition is held elsewhere, even by a lane
    /// that will find it must wait, keeps lanes busier than waiting only for lanes known to be
    /// applying, and drains faster (`scripts/bench-e2e`).
    private func drain(_ ready: [OwnedPartition], lane: Lane, apply: @Sendable (QueuedMessage, OwnedPartition, Lane) -> Bool) {
        var idleLooks = 0
        while true {
            let progressBefore = passProgress.load(ordering: .sequentiallyConsistent)
            var progressed = false
            var heldElsewhere = false
            for partition in ready {
                guard partition.claim() else {
                    heldElsewhere = true
                    continue
                }
                let closedBefore = partition.closedThrough
                let applied = partition.applyQueued { message in apply(message, partition, lane) }
                let movedOn = applied > 0 || partition.closedThrough != closedBefore
                partition.release()
                if movedOn {
                    progressed = true
                    passProgress.add(1, ordering: .sequentiallyConsistent)
                }
            }
            if progressed {
                idleLooks = 0
                continue
            }
            if !heldElsewhere, passProgress.load(ordering: .sequentiallyConsistent) == progressBefore { return }
            // Another lane has a partition and may release one here: look again soon, and leave
            // the core to the other threads meanwhile.
            idleLooks += 1
            if idleLooks < 64 { sched_yield() } else { usleep(50) }
        }
    }
}
