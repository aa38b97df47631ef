import ResonanceModel

/// The wall-clock side of publishing for one partition: when each user last published, who is
/// waiting for their interval to end, and when each user's score will decay a step. None of it
/// is durable: after a restart it starts empty (held-back changes were published at shutdown,
/// and the restored users' decay crossings are located again, a few thousand per tick).
///
/// A class so that copies of a ``PartitionProcessor`` (snapshots, readers) share it rather than
/// copy it; only the processing thread touches it.
final class PublishSchedule: @unchecked Sendable {
    var lastPublishWall: [Int64] = []
    var pendingSince: [Bool] = []
    /// Per user: the event time of the live entry in `crossings`, ``noCrossing`` when the score
    /// never decays a step below what was published, ``crossingUnknown`` when not yet located
    /// for the value last published.
    var crossingDue: [Int64] = []
    static let noCrossing = Int64.max
    static let crossingUnknown = Int64.min
    var pendingQueue: [(due: Int64, user: UInt32)] = []
    var pendingHead = 0
    var crossings = DecayCrossingQueue()
    /// Restored users `nextUnlocated..<unlocatedEnd` (handles) still need their crossing located.
    var nextUnlocated = 0
    var unlocatedEnd = 0

    func ensureCapacity(_ index: Int) {
        guard index >= lastPublishWall.count else { return }
        let extra = Swift.max(index + 1, lastPublishWall.count * 2, 1024) - lastPublishWall.count
        lastPublishWall.append(contentsOf: repeatElement(.min, count: extra))
        pendingSince.append(contentsOf: repeatElement(false, count: extra))
        crossingDue.append(contentsOf: repeatElement(PublishSchedule.crossingUnknown, count: extra))
    }
}
