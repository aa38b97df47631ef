import Foundation
import Logging
import ResonanceModel

/// Makes the states of partitions assigned to this instance, each from its newest usable snapshot
/// or empty (to be rebuilt from the partition's earliest offset). The newest snapshot is the
/// state topic's when it is newer than the state directory's: it is put back together, written
/// to the directory, and loaded from there like any other.
struct PartitionRestorer: Sendable {
    /// Where a partition's state came from.
    enum Source: String, Sendable, CaseIterable {
        case stateTopic = "state_topic"
        case stateDirectory = "state_directory"
        case rebuilt
    }

    /// A partition's state, before it is installed.
    enum Prepared {
        /// From a snapshot, which says where reading resumes.
        case restored(PartitionProcessor, PartitionSnapshot, path: String, source: Source)
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
    /// The state topic's reader, and the shipper told what it holds; nil when snapshots are not
    /// shipped.
    var stateTopic: (reader: StateTopicReader, shipper: StateShipper)?

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
        var fromStateTopic: String?
        if !ignoreSnapshots, let stateTopic {
            fromStateTopic = fetchFromStateTopic(partition, stateTopic.reader, stateTopic.shipper)
        }
        let restored = ignoreSnapshots ? nil : store.loadNewest(partition: partition, configuration: configuration.model) { problem in
            logger.warning("partition \(partition): not using a snapshot: \(problem)")
        }
        if let (snapshot, path) = restored {
            let source: Source = (path as NSString).lastPathComponent == fromStateTopic ? .stateTopic : .stateDirectory
            // A snapshot is a fold of particular input topics: one that read a topic this run
            // does not is another pipeline's state, and must not be continued here.
            let foreign = Set(snapshot.nextOffsets.keys).subtracting(configuration.kafka.inputTopics)
            if foreign.isEmpty {
                return .restored(
                    PartitionProcessor(restoring: snapshot, publishing: configuration.publishing, timePolicy: configuration.eventTime),
                    snapshot, path: path, source: source)
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

    /// Writes the state topic's newest complete snapshot of `partition` into the state directory
    /// when it is newer than the directory's newest; returns its file name. A snapshot that does
    /// not verify was passed over by the reader; one that cannot be written is reported.
    private func fetchFromStateTopic(_ partition: Int32, _ reader: StateTopicReader, _ shipper: StateShipper) -> String? {
        let started = ContinuousClock.now
        let contents: StateTopicReader.Contents
        do {
            contents = try reader.read(partition: partition)
        } catch {
            logger.error("partition \(partition): cannot read the state topic \(reader.topic): \(error.message); using the state directory")
            return nil
        }
        shipper.found(contents.present, partition: partition)
        guard let newest = contents.complete.first else { return nil }
        let local = store.files(of: partition).first.map { ($0 as NSString).lastPathComponent }
        // Names sort by sequence, then creation time: the directory's copy wins a tie.
        if let local, local >= newest.manifest.snapshot { return nil }
        let folder = store.directory(of: partition)
        let path = "\(folder)/\(newest.manifest.snapshot)"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(newest.bytes).write(to: URL(fileURLWithPath: path + ".tmp"))
            try FileManager.default.moveItem(atPath: path + ".tmp", toPath: path)
        } catch {
            logger.error("partition \(partition): cannot write the state topic's snapshot to \(path): \(error.localizedDescription); using the state directory")
            return nil
        }
        logger.info("partition \(partition): fetched \(newest.manifest.snapshot) (\(newest.bytes.count / 1024) KiB) from the state topic in \(started.duration(to: .now))")
        return newest.manifest.snapshot
    }
}
