import ArgumentParser
import Foundation
import Logging
import ResonanceEngine
import ResonanceKafka

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

    @Flag(name: .customLong("until-caught-up"), help: "Process everything the input topics hold, publish, and exit 0.")
    var untilCaughtUp = false

    func run() throws {
        let configuration = try options.resolve()
        if let input {
            try runOnFile(input, configuration: configuration)
        } else {
            try runOnKafka(configuration: configuration)
        }
    }

    private func runOnKafka(configuration: ResonanceConfiguration) throws {
        let logger = LogSetup.start(level: configuration.logLevel)
        let started = ContinuousClock.now
        let processor = StreamProcessor(
            configuration: configuration, mode: untilCaughtUp ? .untilCaughtUp : .continuous, logger: logger)
        let stop = StopSignal()
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { signal in
            logger.notice("signal \(signal): finishing the batch in flight, publishing and leaving the group")
            stop.raise()
        }
        defer { signals.cancel() }
        do {
            try processor.run(stop: stop)
        } catch let error as KafkaError {
            throw ValidationError(error.message)
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
        let seconds = started.duration(to: .now).seconds
        let counters = processor.counters
        logger.info("""
            \(counters.messages) messages, \(counters.appliedTotal) applied, \(counters.rejectedTotal) dead-lettered, \
            \(counters.changesPublished) score changes published in \(String(format: "%.2f", seconds)) s \
            (\(String(format: "%.0f", Double(counters.messages) / max(seconds, 1e-9))) events/s)
            """)
        if untilCaughtUp {
            printTopUsers(processor.partitionStates, count: 10)
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
        let seconds = started.duration(to: .now).seconds
        let counters = scorer.counters
        FileHandle.standardError.write(Data((
            "resonance: \(counters.messages) lines, \(counters.appliedTotal) applied, \(counters.rejectedTotal) rejected, "
                + "\(counters.changesPublished) score changes, \(scorer.processor.state.trackedUserCount) users, "
                + String(format: "%.2f s, %.0f events/s\n", seconds, Double(counters.messages) / max(seconds, 1e-9))
        ).utf8))
        printTopUsers([scorer.processor], count: 10, to: output == nil ? .standardError : .standardOutput)
    }
}
