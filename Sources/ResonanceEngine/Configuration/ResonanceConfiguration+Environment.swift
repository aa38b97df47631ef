extension ResonanceConfiguration {
    /// The environment variables read, each with the key it sets.
    public static let environmentVariables: [(name: String, key: String)] = [
        ("RESONANCE_BROKERS", "kafka.brokers"),
        ("RESONANCE_GROUP", "kafka.group"),
        ("RESONANCE_INPUT_TOPICS", "kafka.input_topics (comma-separated)"),
        ("RESONANCE_OUTPUT_TOPIC", "kafka.output_topic"),
        ("RESONANCE_DEAD_LETTER_TOPIC", "kafka.dead_letter_topic"),
        ("RESONANCE_PARTITIONS", "kafka.partitions"),
        ("RESONANCE_INSTANCE_ID", "kafka.instance_id"),
        ("RESONANCE_STATE_DIR", "state.dir"),
        ("RESONANCE_HTTP_HOST", "http.host"),
        ("RESONANCE_HTTP_PORT", "http.port"),
        ("RESONANCE_LOG_LEVEL", "log_level"),
        ("RESONANCE_PROCESSING_THREADS", "processing_threads"),
    ]

    /// Applies `RESONANCE_*` variables over this configuration.
    public mutating func apply(environment: [String: String]) throws(ConfigurationError) {
        func integer(_ name: String) throws(ConfigurationError) -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text) else { throw ConfigurationError("\(name)='\(text)' must be an integer") }
            return value
        }
        if let value = environment["RESONANCE_BROKERS"] { kafka.brokers = value }
        if let value = environment["RESONANCE_GROUP"] { kafka.group = value }
        if let value = environment["RESONANCE_INPUT_TOPICS"] {
            kafka.inputTopics = value.split(separator: ",").map { String($0) }
        }
        if let value = environment["RESONANCE_OUTPUT_TOPIC"] { kafka.outputTopic = value }
        if let value = environment["RESONANCE_DEAD_LETTER_TOPIC"] { kafka.deadLetterTopic = value }
        if let value = try integer("RESONANCE_PARTITIONS") { kafka.partitions = value }
        if let value = environment["RESONANCE_INSTANCE_ID"] { kafka.instanceID = value }
        if let value = environment["RESONANCE_STATE_DIR"] { state.directory = value }
        if let value = environment["RESONANCE_HTTP_HOST"] { http.host = value }
        if let value = try integer("RESONANCE_HTTP_PORT") { http.port = value }
        if let value = environment["RESONANCE_LOG_LEVEL"] { logLevel = value }
        if let value = try integer("RESONANCE_PROCESSING_THREADS") { processingThreads = value }
        try validate()
    }
}
