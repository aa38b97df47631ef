import ArgumentParser
import Foundation
import ResonanceEngine
import ResonanceModel

/// `resonance snapshot inspect FILE`: a snapshot's header and whether it is valid;
/// `resonance snapshot benchmark`: how long snapshots of a given size take on a given disk.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Look inside snapshot files.",
        subcommands: [Inspect.self, Benchmark.self]
    )

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a snapshot's header and check it (format, checksum, and that it loads under the model configuration)."
        )

        @Argument(help: "Snapshot files.")
        var files: [String]

        @Option(name: .long, help: "TOML configuration whose [model] the state must match (default: the built-in model).")
        var config: String?

        func run() throws {
            let configuration = try ResonanceConfiguration.offline(file: config)
            var invalid = 0
            for file in files {
                let (header, problem) = SnapshotStore.inspect(file, configuration: configuration.model)
                var lines = ["\(file):"]
                if let header {
                    lines.append("  format version      \(header.formatVersion)")
                    lines.append("  partition           \(header.partition)")
                    lines.append("  input offsets       \(header.nextOffsets.sorted { $0.key < $1.key }.map { "\($0.key)@\($0.value)" }.joined(separator: " "))")
                    lines.append("  events applied      \(header.sequence)")
                    lines.append("  event-time watermark \(header.watermark == .min ? "none" : "\(header.watermark) (\(Date(timeIntervalSince1970: Double(header.watermark) / 1000)))")")
                    lines.append("  written at          \(header.createdAt) (\(Date(timeIntervalSince1970: Double(header.createdAt) / 1000)))")
                    lines.append("  users               \(header.trackedUsers)")
                    lines.append("  model configuration \(String(header.modelFingerprint, radix: 16))\(header.modelFingerprint == configuration.model.fingerprint ? " (matches)" : " (differs from this configuration's \(String(configuration.model.fingerprint, radix: 16)))")")
                    lines.append("  sections            publisher \(header.publisherBytes) bytes, model \(header.modelBytes) bytes")
                }
                if let problem {
                    invalid += 1
                    lines.append("  INVALID: \(problem)")
                } else {
                    lines.append("  valid")
                }
                print(lines.joined(separator: "\n"))
            }
            if invalid > 0 { throw ExitCode(1) }
        }
    }

    struct Benchmark: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time writing and restoring a snapshot of a partition with a given number of users, in a given directory.",
            discussion: """
                Builds a partition state of --users users (each with an id like a numeric platform id and one
                reshare received, under the model configuration), then times what the scorer does with it:
                the copy taken on the processing thread (the only part that holds up ingestion), writing the
                snapshot file (serialize, checksum, write, fsync, rename, fsync of the directory), and
                restoring it (map, verify the checksum, load). Use it to size snapshot intervals and volumes.
                The file is removed afterwards unless --keep is given.
                """
        )

        @Option(name: .long, help: "Users in the partition.")
        var users: Int = 10_000_000

        @Option(name: .customLong("state-dir"), help: "Directory to write the snapshot in (a partition-0 folder is created and removed).")
        var stateDirectory: String

        @Option(name: .long, help: "TOML configuration whose [model] builds the state (default: the built-in model).")
        var config: String?

        @Flag(name: .long, help: "Leave the snapshot file in place (for resonance snapshot inspect).")
        var keep = false

        func validate() throws {
            guard users > 0, users <= Int(Int32.max) else { throw ValidationError("--users must be between 1 and \(Int32.max)") }
        }

        func run() throws {
            let configuration = try ResonanceConfiguration.offline(file: config)
            func seconds(_ body: () throws -> Void) rethrows -> Double {
                let start = ContinuousClock.now
                try body()
                return start.duration(to: .now).seconds
            }
            var state = try InfluenceState(configuration: configuration.model)
            let build = try seconds { try Self.populate(&state, users: users) }
            let lastPublished = [Float](repeating: 1, count: state.internedUserCount)
            var copy: PartitionSnapshot?
            let copyTime = seconds {
                copy = PartitionSnapshot(partition: 0, sequence: Int64(users), nextOffsets: ["benchmark": Int64(users)], state: state, lastPublished: lastPublished)
            }
            let store = SnapshotStore(directory: stateDirectory, keep: 1)
            var path = ""
            let write = try seconds { path = try store.write(copy!, createdAt: WallClock.system.now()).path }
            copy = nil
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            // Restore as after a restart on another machine: from the disk, not the page cache.
            let evicted = Self.evictFromPageCache(path)
            var restored: PartitionSnapshot?
            let restore = try seconds { restored = try SnapshotStore.load(path, configuration: configuration.model) }
            guard restored?.state.trackedUserCount == state.trackedUserCount else {
                throw ValidationError("the restored state has \(restored?.state.trackedUserCount ?? 0) users, not \(state.trackedUserCount)")
            }
            if keep {
                print("kept \(path)")
            } else {
                try? FileManager.default.removeItem(atPath: store.directory(of: 0))
            }
            print(String(
                format: "%d users (built in %.1f s): copy on the processing thread %.3f ms; write %.2f s (%.0f MB, %.0f MB/s); restore %.2f s (%.0f MB/s, %@)",
                users, build, copyTime * 1000, write, Double(size) / 1e6, Double(size) / 1e6 / write, restore, Double(size) / 1e6 / restore,
                evicted ? "read from disk" : "page cache not evicted"))
        }

        /// Drops the file's pages from the page cache (it was fsynced, so they are clean); false
        /// where the file system does not support it (tmpfs keeps them: there is no disk).
        static func evictFromPageCache(_ path: String) -> Bool {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return false }
            defer { close(descriptor) }
            return posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED) == 0
        }

        /// `users` users `user-0`, `user-1`, …, each reshared once by an earlier user, a day apart
        /// in milliseconds so the state's decay landmark stays put.
        static func populate(_ state: inout InfluenceState, users: Int) throws {
            guard let twitter = state.internNetwork(named: "twitter"), let reshare = state.action(named: "reshare") else {
                throw ValidationError("the model configuration has no 'reshare' action")
            }
            var random: UInt64 = 0x9E37_79B9_7F4A_7C15
            var id = Array("user-".utf8)
            for index in 0..<users {
                id.removeLast(id.count - 5)
                id.append(contentsOf: String(index).utf8)
                guard let target = id.withUnsafeBytes({ state.intern(userID: $0) }) else {
                    throw ValidationError("the state refused user \(index)")
                }
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let actor = UserHandle(rawValue: UInt32(Int(random >> 33) % (index + 1)))
                let reaction = Reaction(
                    idHash: UInt64(index) &* 0x9E37_79B9_7F4A_7C15, time: 1_704_067_200_000 + Int64(index),
                    network: twitter, action: reshare, actor: actor, target: target)
                _ = state.apply(.reaction(reaction)) { _ in nil }
            }
        }
    }
}
