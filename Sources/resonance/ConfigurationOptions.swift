import ArgumentParser
import Foundation
import ResonanceEngine

/// The options every command that runs the pipeline shares. Precedence, lowest first: defaults,
/// `--config` file, `RESONANCE_*` environment variables, these flags.
struct ConfigurationOptions: ParsableArguments {
    @Option(name: .long, help: "TOML configuration file (see config/resonance.toml).")
    var config: String?

    @Option(name: .long, help: "Kafka bootstrap servers, host:port[,host:port].")
    var brokers: String?

    @Option(name: .customLong("input-topic"), help: "Input topic of v1 events (repeat for several).")
    var inputTopics: [String] = []

    @Option(name: .customLong("output-topic"), help: "Compacted topic of score changes.")
    var outputTopic: String?

    @Option(name: .customLong("dead-letter-topic"), help: "Topic for rejected input (default: <input>.dead-letter).")
    var deadLetterTopic: String?

    @Option(name: .long, help: "Consumer group shared by the instances of a deployment.")
    var group: String?

    @Option(name: .customLong("instance-id"), help: "Static group membership (group.instance.id), e.g. the pod's name: a restart gets its partitions back without a rebalance.")
    var instanceID: String?

    @Option(name: .customLong("state-dir"), help: "Directory for snapshots.")
    var stateDirectory: String?

    @Option(name: .customLong("property"), help: "Any librdkafka property, key=value (repeatable).")
    var properties: [String] = []

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    @Option(name: .customLong("http-host"), help: "Address the HTTP API listens on (default 127.0.0.1; 0.0.0.0 for all).")
    var httpHost: String?

    @Option(name: .customLong("http-port"), help: "Port of the HTTP API, metrics and dashboard (default 8080; 0 disables it).")
    var httpPort: Int?

    @Option(name: .customLong("processing-threads"), help: "Threads that apply events, each to one partition at a time (default 0: one per core).")
    var processingThreads: Int?

    /// The configuration from every source, validated.
    func resolve() throws -> ResonanceConfiguration {
        var configuration = ResonanceConfiguration()
        do {
            if let config { try configuration.apply(file: config) }
            try configuration.apply(environment: ProcessInfo.processInfo.environment)
            if let brokers { configuration.kafka.brokers = brokers }
            if !inputTopics.isEmpty { configuration.kafka.inputTopics = inputTopics }
            if let outputTopic { configuration.kafka.outputTopic = outputTopic }
            if let deadLetterTopic { configuration.kafka.deadLetterTopic = deadLetterTopic }
            if let group { configuration.kafka.group = group }
            if let instanceID { configuration.kafka.instanceID = instanceID }
            if let stateDirectory { configuration.state.directory = stateDirectory }
            if let logLevel { configuration.logLevel = logLevel }
            if let httpHost { configuration.http.host = httpHost }
            if let httpPort { configuration.http.port = httpPort }
            if let processingThreads { configuration.processingThreads = processingThreads }
            for property in properties {
                guard let equals = property.firstIndex(of: "="), equals != property.startIndex else {
                    throw ConfigurationError("--property '\(property)' must be key=value")
                }
                configuration.kafka.properties[String(property[..<equals])] = String(property[property.index(after: equals)...])
            }
            try configuration.validate()
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
        return configuration
    }
}

extension ResonanceConfiguration {
    /// The defaults with `file` (if any) applied and checked: what the offline commands (scores,
    /// snapshot, evaluate, calibrate) read their `[model]` from. Errors name the bad key.
    static func offline(file: String?) throws -> ResonanceConfiguration {
        var configuration = ResonanceConfiguration()
        guard let file else { return configuration }
        do {
            try configuration.apply(file: file)
            try configuration.validate()
        } catch {
            throw ValidationError(error.message)
        }
        return configuration
    }
}
