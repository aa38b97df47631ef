import ArgumentParser
import Foundation
import ResonanceEngine

/// `resonance run`: the scorer. Reads v1 events from Kafka (or a file), keeps scores in memory,
/// and publishes score changes.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Score reaction events and publish score changes.",
        discussion: """
            With --input, runs the same pipeline on a JSON-lines file of v1 events ('-' for standard
            input) and writes score changes as JSON lines to standard output or --output.
            """
    )

    @OptionGroup var options: ConfigurationOptions

    @Option(name: .long, help: "Read v1 events from this JSON-lines file instead of Kafka ('-': standard input).")
    var input: String?

    @Option(name: .long, help: "With --input: write score changes here instead of standard output.")
    var output: String?

    @Option(name: .customLong("dead-letter"), help: "With --input: write every rejected line here as JSON.")
    var deadLetter: String?

    func run() throws {
        let configuration = try options.resolve()
        if let input {
            try runOnFile(input, configuration: configuration)
        } else {
            throw ValidationError("reading from Kafka is not wired in this build yet; use --input FILE")
        }
    }

    private func runOnFile(_ path: String, configuration: ResonanceConfiguration) throws {
        let started = ContinuousClock.now
        let reader = try LineReader(path: path)
        let output = try ByteOutput(path: output ?? "-")
        let deadLetters: FileScorer.DeadLetters = try deadLetter.map { .file(try ByteOutput(path: $0)) } ?? .standardError
        let scorer = try FileScorer(
            configuration: configuration.model, publishing: configuration.publishing,
            timePolicy: configuration.eventTime, limits: configuration.limits, deadLetters: deadLetters)
        try scorer.run(input: reader, output: output)
        try output.close()
        if case .file(let file) = deadLetters { try file.close() }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let counters = scorer.counters
        FileHandle.standardError.write(Data((
            "resonance: \(counters.messages) lines, \(counters.appliedTotal) applied, \(counters.rejectedTotal) rejected, "
                + "\(counters.changesPublished) score changes, \(scorer.processor.state.trackedUserCount) users, "
                + String(format: "%.2f s, %.0f events/s\n", seconds, Double(counters.messages) / max(seconds, 1e-9))
        ).utf8))
    }
}
