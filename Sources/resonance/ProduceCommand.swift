import ArgumentParser
import Foundation
import ResonanceEngine

/// `resonance produce`: turns CSV/TSV/JSON-lines files into v1 events with the right keys and
/// produces them to a topic (or writes them as JSON lines).
struct ProduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Turn CSV, TSV or JSON-lines files into v1 events and produce them to Kafka.",
        discussion: """
            Formats: jsonl (v1 events already), twitter1516 and klout-tw/klout-fb (the data sets in
            data/), csv/tsv (any file with a header, mapped with --column and --set).
            Files ending in .gz are decompressed. Events are produced in time order by default
            (the scorer's watermark moves forward as it would live); --keep-order keeps file order.
            Example: resonance produce --format csv --kind reaction --column actor=who
              --column target=whom --column time=ts --time-unit s --set network=twitter
              --set action=like --topic reactions likes.csv
            --generate topics produces the generated topic world instead of files (data/README.md).
            """
    )

    @Option(name: .long, help: "Input format: \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: String = "jsonl"

    @Option(name: .long, help: "Kafka bootstrap servers (default: RESONANCE_BROKERS or 127.0.0.1:9092).")
    var brokers: String?

    @Option(name: .long, help: "Topic to produce to.")
    var topic: String?

    @Option(name: .long, help: "Write events as JSON lines to this file ('-': standard output) instead of Kafka.")
    var output: String?

    @Option(name: .long, help: "csv/tsv: the kind of event every row becomes.")
    var kind: String = "reaction"

    @Option(name: .long, help: "csv/tsv: field=COLUMN, an event field taken from a column (repeatable).")
    var column: [String] = []

    @Option(name: .long, help: "csv/tsv: field=VALUE, an event field set to a constant (repeatable).")
    var set: [String] = []

    @Option(name: .customLong("time-unit"), help: "csv/tsv: unit of the time column, s or ms.")
    var timeUnit: String = "ms"

    @Option(name: .long, help: "Partitions of the topic when it has to be created.")
    var partitions: Int = 4

    @Flag(name: .customLong("no-progress"), help: "No progress bar or progress lines while sending.")
    var noProgress = false

    @Flag(name: .customLong("if-topic-missing"), help: "Produce only when the topic does not exist yet (idempotent replays).")
    var ifTopicMissing = false

    @Flag(name: .customLong("keep-order"), help: "Produce in file order instead of event-time order.")
    var keepOrder = false

    @Option(name: .long, help: "Produce at this many events per second, evenly (default: as fast as possible).")
    var rate: Double?

    @Flag(name: .long, help: "Set each event's time to the wall clock when it is sent: replay a data set as a live feed.")
    var live = false

    @Option(name: .customLong("property"), help: "Any librdkafka property, key=value (repeatable).")
    var properties: [String] = []

    @Option(name: .customLong("topics-from"), help: "twitter1516: a source_tweets.txt file; each cascade's posts carry its source tweet's hashtags as topics (repeatable).")
    var topicsFrom: [String] = []

    @Option(name: .long, help: "Produce a generated data set instead of files: 'topics' (the topic world, data/README.md).")
    var generate: String?

    @Option(name: .long, help: "With --generate: the seed (the same seed gives the same events).")
    var seed: UInt64 = 7

    @Argument(help: "Input files ('-': standard input).")
    var files: [String] = []

    func validate() throws {
        guard DatasetFormat(rawValue: format) != nil else {
            throw ValidationError("unknown --format '\(format)'; expected one of \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (topic != nil) != (output != nil) else {
            throw ValidationError("give exactly one of --topic (produce to Kafka) or --output (write JSON lines)")
        }
        if let generate {
            guard generate == "topics" else { throw ValidationError("unknown --generate '\(generate)'; expected topics") }
            guard files.isEmpty else { throw ValidationError("--generate produces a generated data set: name no input file") }
        } else {
            guard !files.isEmpty else { throw ValidationError("name at least one input file") }
        }
        if let rate, !(rate > 0 && rate.isFinite) { throw ValidationError("--rate must be a positive number of events per second") }
        if (rate != nil || live) && topic == nil { throw ValidationError("--rate and --live apply to producing to Kafka (--topic)") }
        if !topicsFrom.isEmpty && format != DatasetFormat.twitter1516.rawValue {
            throw ValidationError("--topics-from applies to --format twitter1516")
        }
    }

    func run() throws {
        let format = DatasetFormat(rawValue: format)!
        if ifTopicMissing, let topic {
            let servers = (brokers ?? ProcessInfo.processInfo.environment["RESONANCE_BROKERS"] ?? "127.0.0.1:9092")
                .split(separator: ",").map(String.init)
            if EventProducer.topicExists(topic, brokers: servers) {
                FileHandle.standardError.write(Data("resonance produce: topic \(topic) exists; nothing produced (--if-topic-missing)\n".utf8))
                return
            }
        }
        let mapping = try columnMapping()
        var badRows = 0
        let cascadeTopics = try DatasetConverter.cascadeTopics(fromFiles: topicsFrom)
        var events: [EncodedEvent]
        if generate != nil {
            var options = TopicWorld.Options()
            options.seed = seed
            events = TopicWorld.events(options)
        } else {
            events = try DatasetConverter.events(fromFiles: files, format: format, mapping: mapping, cascadeTopics: cascadeTopics) { file, error in
                badRows += 1
                if badRows <= 20 { FileHandle.standardError.write(Data("resonance produce: \(file): \(error)\n".utf8)) }
            }
        }
        if !keepOrder {
            // Stable: events with equal times keep file order (a post before its reactions).
            events = events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        }
        if let output {
            let writer = try ByteOutput(path: output)
            for event in events { try writer.writeLine(event.value) }
            try writer.close()
            FileHandle.standardError.write(Data("resonance produce: \(events.count) events written to \(output), \(badRows) rows rejected\n".utf8))
        } else if let topic {
            var extra: [String: String] = [:]
            for property in properties {
                guard let equals = property.firstIndex(of: "="), equals != property.startIndex else {
                    throw ValidationError("--property '\(property)' must be key=value")
                }
                extra[String(property[..<equals])] = String(property[property.index(after: equals)...])
            }
            let servers = (brokers ?? ProcessInfo.processInfo.environment["RESONANCE_BROKERS"] ?? "127.0.0.1:9092")
                .split(separator: ",").map(String.init)
            do {
                let achieved = try EventProducer.produce(events, topic: topic, brokers: servers, partitions: partitions, properties: extra,
                    pacing: EventProducer.Pacing(rate: rate, live: live),
                    progress: noProgress ? nil : StepProgress("resonance produce: sending"))
                FileHandle.standardError.write(Data(String(
                    format: "resonance produce: %d events produced to %@ (%.0f events/s), %d rows rejected\n",
                    events.count, topic, achieved, badRows).utf8))
            } catch {
                throw ValidationError(error.message)
            }
        }
        if badRows > 0 { throw ExitCode(1) }
    }

    private func columnMapping() throws -> ColumnMapping {
        var mapping = ColumnMapping()
        guard let kind = EventKind.allCases.first(where: { $0.name == self.kind }) else {
            throw ValidationError("unknown --kind '\(self.kind)'; expected reaction, post, profile, undo or erase")
        }
        mapping.kind = kind
        guard let unit = ColumnMapping.TimeUnit(rawValue: timeUnit) else {
            throw ValidationError("--time-unit must be s or ms")
        }
        mapping.timeUnit = unit
        for (option, pairs) in [("--column", column), ("--set", set)] {
            for pair in pairs {
                guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                    throw ValidationError("\(option) '\(pair)' must be field=\(option == "--column" ? "COLUMN" : "VALUE")")
                }
                let field = String(pair[..<equals])
                let value = String(pair[pair.index(after: equals)...])
                if option == "--column" { mapping.columns[field] = value } else { mapping.constants[field] = value }
            }
        }
        mapping.source = files.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "csv"
        return mapping
    }
}
