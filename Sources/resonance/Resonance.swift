import ArgumentParser

/// The `resonance` command line: one subcommand per job.
@main
struct Resonance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resonance",
        abstract: "Real-time social influence scores from reaction events in Kafka.",
        subcommands: [
            RunCommand.self, ReplayCommand.self, ProduceCommand.self, WatchCommand.self, ScoresCommand.self,
            SnapshotCommand.self, EvaluateCommand.self, CalibrateCommand.self, VersionCommand.self, KafkaDrainCommand.self,
        ]
    )

    static func main() async {
        // First, before any thread exists: may restart the process once (see the type).
        TransparentHugePages.requestFromGlibc()
        await main(nil)
    }
}
