import ArgumentParser
import Foundation
import ResonanceEngine

/// `resonance snapshot inspect FILE`: a snapshot's header and whether it is valid.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Look inside snapshot files.",
        subcommands: [Inspect.self]
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
            var configuration = ResonanceConfiguration()
            if let config {
                do { try configuration.apply(file: config) } catch { throw ValidationError(error.message) }
            }
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
}
