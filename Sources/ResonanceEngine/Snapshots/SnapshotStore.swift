import Foundation
import ResonanceModel

/// The snapshots of every partition, in a directory: `partition-<p>/<sequence>-<created>.snapshot`,
/// newest first by sequence, the last few kept.
///
/// This directory is also how partitions move between instances: instances of one deployment
/// share it (a shared volume), and a partition's new owner resumes from the newest snapshot its
/// old owner wrote — at shutdown, at revocation, or periodically before a crash. docs/DESIGN.md
/// says why this was chosen over a changelog topic.
public struct SnapshotStore: Sendable {
    /// The state directory.
    public let directory: String
    /// How many snapshots of each partition are kept.
    public let keep: Int

    public init(directory: String, keep: Int = 3) {
        self.directory = directory
        self.keep = max(1, keep)
    }

    /// Where partition `partition`'s snapshots live.
    public func directory(of partition: Int32) -> String {
        "\(directory)/partition-\(partition)"
    }

    /// Writes a snapshot durably, then deletes all but the newest ``keep``.
    @discardableResult
    public func write(_ snapshot: PartitionSnapshot, createdAt: Int64) throws(SnapshotError) -> (path: String, header: SnapshotHeader) {
        let folder = directory(of: snapshot.partition)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw SnapshotError("cannot create \(folder): \(error.localizedDescription)")
        }
        let name = String(format: "%020lld-%013lld.snapshot", snapshot.sequence, createdAt)
        let path = "\(folder)/\(name)"
        let header = try SnapshotFile.write(snapshot, to: path, createdAt: createdAt)
        for stale in files(of: snapshot.partition).dropFirst(keep) {
            try? FileManager.default.removeItem(atPath: stale)
        }
        return (path, header)
    }

    /// Partition `partition`'s snapshot files, newest first.
    public func files(of partition: Int32) -> [String] {
        let folder = directory(of: partition)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".snapshot") }.sorted(by: >).map { "\(folder)/\($0)" }
    }

    /// Deletes what a write interrupted by a crash left behind in `partition`'s directory.
    public func removeTemporaryFiles(of partition: Int32) {
        let folder = directory(of: partition)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasSuffix(".tmp") {
            try? FileManager.default.removeItem(atPath: "\(folder)/\(name)")
        }
    }

    /// The partitions that have a snapshot directory.
    public func partitions() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name in
            name.hasPrefix("partition-") ? Int32(name.dropFirst("partition-".count)) : nil
        }.sorted()
    }

    /// The newest snapshot of `partition` that is intact and was built with `configuration`.
    /// Every snapshot passed over is reported to `skipped` with the reason; `nil` means the
    /// partition must be rebuilt from its earliest offset.
    public func loadNewest(
        partition: Int32, configuration: ModelConfiguration, skipped: (String) -> Void
    ) -> (snapshot: PartitionSnapshot, path: String)? {
        for path in files(of: partition) {
            do {
                return (try SnapshotFile.load(path, configuration: configuration), path)
            } catch {
                skipped(error.message)
            }
        }
        return nil
    }

    /// Reads a snapshot file's header and checks it whole (format, checksum, and, given a
    /// configuration, that its state loads under it).
    public static func inspect(_ path: String, configuration: ModelConfiguration? = nil) -> (header: SnapshotHeader?, problem: String?) {
        let header: SnapshotHeader
        do {
            header = try SnapshotFile.map(path).header
        } catch {
            let quick = try? SnapshotFile.map(path, verify: false).header
            return (quick, error.message)
        }
        if let configuration {
            do {
                _ = try SnapshotFile.load(path, configuration: configuration)
            } catch {
                return (header, error.message)
            }
        }
        return (header, nil)
    }

    /// Loads a snapshot file (checked) under `configuration`.
    public static func load(_ path: String, configuration: ModelConfiguration) throws(SnapshotError) -> PartitionSnapshot {
        try SnapshotFile.load(path, configuration: configuration)
    }
}
