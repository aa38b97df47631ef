import ArgumentParser
import Foundation
import Logging
import ResonanceEngine
import ResonanceHTTP
import ResonanceKafka
import ServiceLifecycle

/// `resonance run`: the scorer. Reads v1 events from Kafka (or a file), keeps scores in memory,
/// and publishes score changes.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Score reaction events and publish score changes.",
        discussion: """
            With --input, runs the same pipeline on a JSON-lines file of v1 events ('-' for standard
            input) and writes score changes as JSON lines to standard output or --output.

            On Kafka, serves the query API, /healthz, /readyz, /metrics and the dashboard on
            http.host:http.port (docs/OPERATIONS.md), and shuts down gracefully on SIGTERM or SIGINT
            within shutdown_timeout_seconds. With --until-caught-up the server starts only when
            --http-port is given.
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

    @Flag(name: .customLong("no-progress"), help: "With --until-caught-up: no progress bar or progress lines.")
    var noProgress = false

    @Option(name: .customLong("ready-max-lag"), help: "/readyz answers 503 while a partition lags more messages than this.")
    var readyMaxLag: Int64 = HTTPServerOptions().readyMaxLag

    func run() async throws {
        let configuration = try options.resolve()
        if let input {
            try runOnFile(input, configuration: configuration)
        } else {
            try await runOnKafka(configuration: configuration)
        }
    }

    private func runOnKafka(configuration: ResonanceConfiguration) async throws {
        var configuration = configuration
        // A one-off replay needs no server unless one is asked for, and must not fail because a
        // long-running instance already holds the default port.
        if untilCaughtUp, options.httpPort == nil { configuration.http.port = 0 }
        guard readyMaxLag >= 0 else { throw ValidationError("--ready-max-lag must not be negative") }
        let logger = LogSetup.start(level: configuration.logLevel)
        let started = ContinuousClock.now
        var serverOptions = HTTPServerOptions()
        serverOptions.readyMaxLag = readyMaxLag
        // Without the input's ends (a missing topic, say) no progress: the pipeline says why.
        let progress = untilCaughtUp && !noProgress
            ? (try? DrainProgress.endOffsets(configuration)).map { DrainProgress("resonance run: scoring", ends: $0) } : nil
        let runtime = ScorerRuntime(
            configuration: configuration, mode: untilCaughtUp ? .untilCaughtUp : .continuous, options: serverOptions,
            logger: logger, progress: progress)
        if configuration.http.port != 0 {
            logger.info("serving the API, metrics and dashboard on http://\(configuration.http.host):\(configuration.http.port)/")
        }
        do {
            try await runtime.serviceGroup().run()
        } catch let error as KafkaError {
            throw ValidationError(error.message)
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
        progress?.finish()
        let processor = runtime.processor
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
        // Asked for a state directory: keep the final state there, for `resonance scores` and for
        // a one-partition Kafka run to continue from (it reads its topic from the beginning: the
        // file's lines have no Kafka offsets).
        if options.stateDirectory != nil {
            let store = SnapshotStore(directory: configuration.state.directory, keep: configuration.state.snapshotsKept)
            do {
                let (path, _) = try store.write(scorer.processor.snapshot(nextOffsets: [:]), createdAt: WallClock.system.now())
                FileHandle.standardError.write(Data("resonance: final state written to \(path)\n".utf8))
            } catch {
                throw ValidationError("writing the final state to \(configuration.state.directory): \(error.message)")
            }
        }
        let seconds = started.duration(to: .now).seconds
        let counters = scorer.counters
        FileHandle.standardError.write(Data((
            "resonance: \(counters.messages) lines, \(counters.appliedTotal) applied, \(counters.rejectedTotal) rejected, "
                + "\(counters.changesPublished) score changes, \(scorer.processor.state.trackedUserCount) users, "
                + String(format: "%.2f s, %.0f events/s\n", seconds, Double(counters.messages) / max(seconds, 1e-9))
        ).utf8))
        // Score changes on standard output stay pure JSON lines: the table goes to standard error.
        printTopUsers([scorer.processor], count: 10, to: self.output == nil || self.output == "-" ? .standardError : .standardOutput)
    }
}
