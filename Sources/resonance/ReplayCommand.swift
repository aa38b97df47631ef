import ArgumentParser
import Foundation
import Logging
import ResonanceEngine
import ResonanceKafka

/// `resonance replay`: rebuilds all state from the earliest retained offsets of the input topics.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild all state from the earliest retained input, then write snapshots.",
        discussion: """
            Reads every partition of the input topics from its earliest offset (optionally only up
            to a time or an offset), publishes score changes as the live processor would, and
            writes fresh snapshots to the state directory. Shows a progress bar on a terminal and
            a log line every 5 s otherwise. The state directory must hold no snapshots unless
            --force is given (which deletes them first).
            """
    )

    @OptionGroup var options: ConfigurationOptions

    @Option(name: .customLong("until-time"), help: "Stop before the first event after this time (epoch milliseconds).")
    var untilTime: Int64?

    @Option(name: .customLong("until-offset"), help: "Stop each partition before this offset.")
    var untilOffset: Int64?

    @Flag(name: .customLong("no-progress"), help: "No progress bar or progress lines.")
    var noProgress = false

    @Flag(name: .long, help: "Delete the snapshots already in the state directory first.")
    var force = false

    func run() throws {
        let configuration = try options.resolve()
        let logger = LogSetup.start(level: configuration.logLevel)
        let store = SnapshotStore(directory: configuration.state.directory)
        let existing = store.partitions().filter { !store.files(of: $0).isEmpty }
        if !existing.isEmpty {
            guard force else {
                throw ValidationError("\(configuration.state.directory) already holds snapshots of partitions \(existing.map(String.init).joined(separator: ",")); use --force to replace them or choose another --state-dir")
            }
            for partition in existing { try FileManager.default.removeItem(atPath: store.directory(of: partition)) }
        }
        let progress = noProgress ? nil : DrainProgress("resonance replay", ends: try DrainProgress.endOffsets(configuration))
        var options = StreamProcessor.Options()
        options.ignoreSnapshots = true
        if untilTime != nil || untilOffset != nil {
            options.replayLimit = StreamProcessor.ReplayLimit(time: untilTime, offset: untilOffset)
        }
        let processor = StreamProcessor(
            configuration: configuration, mode: .untilCaughtUp, options: options, logger: logger, observer: progress,
            observationInterval: .milliseconds(500))
        let stop = StopSignal()
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { _ in stop.raise() }
        defer { signals.cancel() }
        do {
            try processor.run(stop: stop)
        } catch let error as KafkaError {
            throw ValidationError(error.message)
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
        progress?.finish()
        let counters = processor.counters
        logger.info("replay done: \(counters.messages) events (\(counters.appliedTotal) applied, \(counters.rejectedTotal) dead-lettered); snapshots written")
    }
}
