import Logging
import ResonanceModel

/// Makes the states of partitions assigned to this instance, each from its newest usable snapshot
/// or empty (to be rebuilt from the partition's earliest offset).
struct PartitionRestorer: Sendable {
    /// A partition's state, before it is installed.
    enum Prepared {
        /// From a snapshot, which says where reading resumes.
        case restored(PartitionProcessor, PartitionSnapshot, path: String)
        /// Empty: read from the beginning.
        case empty(PartitionProcessor)
        /// No state could be made (the model configuration is invalid).
        case failed(ModelError)
    }

    let configuration: ResonanceConfiguration
    let store: SnapshotStore
    /// Ignore existing snapshots and rebuild every partition from its earliest offset.
    let ignoreSnapshots: Bool
    let logger: Logger

    /// Makes the states of partitions `indices` on up to as many threads as there are cores:
    /// loading a snapshot takes a large part of a second, and an instance is often given several
    /// partitions at once. Each state is made on its own, so the result does not depend on the
    /// threads.
    func prepare(_ indices: [Int]) -> [Prepared] {
        indices.concurrentMap(prepare)
    }

    /// Makes partition `index`'s state. Touches nothing shared but the partition's own snapshot
    /// files (it may run beside another partition's).
    func prepare(_ index: Int) -> Prepared {
        let partition = Int32(index)
        // A crash mid-write leaves a temporary file behind; this instance owns the partition now.
        store.removeTemporaryFiles(of: partition)
        let restored = ignoreSnapshots ? nil : store.loadNewest(partition: partition, configuration: configuration.model) { problem in
            logger.warning("partition \(partition): not using a snapshot: \(problem)")
        }
        if let (snapshot, path) = restored {
            // A snapshot is a fold of particular input topics: one that read a topic this run
            // does not is another pipeline's state, and must not be continued here.
            let foreign = Set(snapshot.nextOffsets.keys).subtracting(configuration.kafka.inputTopics)
            if foreign.isEmpty {
                return .restored(
                    PartitionProcessor(restoring: snapshot, publishing: configuration.publishing, timePolicy: configuration.eventTime),
                    snapshot, path: path)
            }
            logger.warning("partition \(partition): not using \(path): it covers input topics \(foreign.sorted().joined(separator: ",")) that this run does not read; rebuilding from the earliest offset")
        } else if !ignoreSnapshots, !store.files(of: partition).isEmpty {
            logger.warning("partition \(partition): no usable snapshot; rebuilding it from the earliest offset")
        }
        do {
            return .empty(try PartitionProcessor(
                partition: partition, configuration: configuration.model,
                publishing: configuration.publishing, timePolicy: configuration.eventTime))
        } catch {
            return .failed(error)
        }
    }
}
