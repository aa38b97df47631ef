import Foundation
import ResonanceModel
import TOMLKit

extension ResonanceConfiguration {
    /// Applies a TOML configuration file over this configuration.
    ///
    /// - Throws: ``ConfigurationError`` naming the file, the key and what is wrong.
    public mutating func apply(file path: String) throws(ConfigurationError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("cannot read configuration file '\(path)': \(error.localizedDescription)")
        }
        try apply(toml: text, origin: path)
    }

    /// Applies TOML text over this configuration; `origin` names it in messages.
    public mutating func apply(toml text: String, origin: String) throws(ConfigurationError) {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError("\(origin): not valid TOML at line \(error.source.begin.line): \(error.description)")
        } catch {
            throw ConfigurationError("\(origin): not valid TOML: \(error)")
        }
        var top = TOMLSection(table: root, origin: origin, path: "")
        if let level = try top.string("log_level") { logLevel = level }
        if let seconds = try top.double("shutdown_timeout_seconds") { shutdownTimeout = .milliseconds(Int64(seconds * 1000)) }
        if let threads = try top.int("processing_threads") { processingThreads = threads }

        if var section = try top.section("kafka") {
            if let value = try section.string("brokers") { kafka.brokers = value }
            if let value = try section.string("group") { kafka.group = value }
            if let value = try section.strings("input_topics") { kafka.inputTopics = value }
            if let value = try section.string("output_topic") { kafka.outputTopic = value }
            if let value = try section.string("dead_letter_topic") { kafka.deadLetterTopic = value }
            if let value = try section.int("partitions") { kafka.partitions = value }
            if let value = try section.int("replication_factor") { kafka.replicationFactor = value }
            if let value = try section.string("instance_id") { kafka.instanceID = value }
            if let value = try section.double("session_timeout_seconds") { kafka.sessionTimeout = .milliseconds(Int64(value * 1000)) }
            if let value = try section.double("heartbeat_interval_seconds") { kafka.heartbeatInterval = .milliseconds(Int64(value * 1000)) }
            if var properties = try section.section("properties") {
                kafka.properties.merge(try properties.stringMap()) { _, new in new }
            }
            try section.rejectUnknownKeys()
        }
        if var section = try top.section("state") {
            if let value = try section.string("dir") { state.directory = value }
            if let value = try section.double("snapshot_interval_seconds") { state.snapshotInterval = .milliseconds(Int64(value * 1000)) }
            if let value = try section.int("snapshots_kept") { state.snapshotsKept = value }
            if let value = try section.bool("ship_to_kafka") { state.shipsToKafka = value }
            try section.rejectUnknownKeys()
        }
        if var section = try top.section("http") {
            if let value = try section.string("host") { http.host = value }
            if let value = try section.int("port") { http.port = value }
            try section.rejectUnknownKeys()
        }
        if var section = try top.section("publish") {
            if let value = try section.double("step") { publishing.step = value }
            if let value = try section.double("interval_seconds") { publishing.minimumInterval = .milliseconds(Int64(value * 1000)) }
            try section.rejectUnknownKeys()
        }
        if var section = try top.section("input") {
            if let value = try section.int("max_message_bytes") { limits.maxMessageBytes = value }
            if let value = try section.int("max_identifier_bytes") { limits.maxIdentifierBytes = value }
            if let value = try section.int("earliest_event_time_ms") { eventTime.earliest = Int64(value) }
            if let value = try section.double("max_seconds_ahead_of_clock") { eventTime.maxAheadOfWallClock = .milliseconds(Int64(value * 1000)) }
            try section.rejectUnknownKeys()
        }
        if let section = try top.section("model") {
            model = try Self.decodeModel(section, origin: origin)
        }
        try top.rejectUnknownKeys()
        try validate()
    }

    /// Decodes `[model]`: the file's keys are laid over the encoded defaults (so a missing key keeps
    /// its default and the model's Codable conformance is the synthesized one); unknown keys are
    /// errors.
    private static func decodeModel(_ section: TOMLSection, origin: String) throws(ConfigurationError) -> ModelConfiguration {
        let defaults: TOMLTable
        do {
            defaults = try TOMLEncoder().encode(ModelConfiguration())
        } catch {
            throw ConfigurationError("cannot list the model's configuration keys: \(error)")
        }
        // TOML tells `3` from `3.0`, but an operator writing `half_life_days = 45` means a number:
        // integers become doubles wherever the model expects doubles (weight maps included).
        let table = defaults
        for key in section.table.keys.sorted() {
            guard let defaultValue = defaults[key], let value = section.table[key] else {
                throw ConfigurationError("\(origin): unknown key 'model.\(key)'; docs/CONFIGURATION.md lists the model's keys")
            }
            if defaultValue.type == .double, let int = value.int {
                table[key] = Double(int)
            } else if defaultValue.type == .table, let map = value.table {
                let converted = TOMLTable()
                for name in map.keys {
                    if let int = map[name]?.int { converted[name] = Double(int) } else { converted[name] = map[name] }
                }
                table[key] = converted
            } else {
                table[key] = value
            }
        }
        do {
            let model = try TOMLDecoder().decode(ModelConfiguration.self, from: table)
            try model.validate()
            return model
        } catch let error as ModelError {
            throw ConfigurationError("\(origin): \(error)")
        } catch let DecodingError.typeMismatch(_, context) {
            throw ConfigurationError("\(origin): 'model.\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type: \(context.debugDescription)")
        } catch {
            throw ConfigurationError("\(origin): [model]: \(error)")
        }
    }

    /// Checks values that every source can get wrong.
    public func validate() throws(ConfigurationError) {
        guard !kafka.brokers.isEmpty else { throw ConfigurationError("kafka.brokers must name at least one host:port") }
        guard !kafka.inputTopics.isEmpty, !kafka.inputTopics.contains("") else { throw ConfigurationError("kafka.input_topics must name at least one topic") }
        guard !kafka.outputTopic.isEmpty else { throw ConfigurationError("kafka.output_topic must not be empty") }
        guard kafka.partitions >= 1 else { throw ConfigurationError("kafka.partitions must be at least 1") }
        guard kafka.heartbeatInterval > .zero, kafka.heartbeatInterval < kafka.sessionTimeout else {
            throw ConfigurationError("kafka.heartbeat_interval_seconds must be positive and below kafka.session_timeout_seconds")
        }
        guard kafka.replicationFactor >= 1 else { throw ConfigurationError("kafka.replication_factor must be at least 1") }
        guard publishing.step > 0 else { throw ConfigurationError("publish.step must be greater than 0") }
        guard publishing.minimumInterval >= .zero else { throw ConfigurationError("publish.interval_seconds must not be negative") }
        guard (0...65535).contains(http.port) else { throw ConfigurationError("http.port must be between 0 and 65535") }
        guard state.snapshotsKept >= 1 else { throw ConfigurationError("state.snapshots_kept must be at least 1") }
        guard limits.maxMessageBytes >= 64 else { throw ConfigurationError("input.max_message_bytes must be at least 64") }
        guard processingThreads >= 0 else { throw ConfigurationError("processing_threads must be 0 (one per core) or more") }
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        guard levels.contains(logLevel) else { throw ConfigurationError("log_level must be one of \(levels.joined(separator: ", "))") }
    }
}
