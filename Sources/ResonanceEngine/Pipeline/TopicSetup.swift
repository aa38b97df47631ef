import Logging
import ResonanceKafka

/// The topics a scorer reads and writes, checked and created before it joins its group: the
/// input topics must exist and be co-partitioned; the scores, dead-letter and standings topics are
/// created with the input's partition count when missing, and refused when they exist with another.
struct TopicSetup {
    let configuration: ResonanceConfiguration
    let brokers: [String]
    let logger: Logger

    /// Checks the input topics, creates the others when missing, and says what they share.
    func prepare() throws -> PreparedTopics {
        let kafka = configuration.kafka
        var adminConfiguration = AdminConfiguration(bootstrapServers: brokers)
        adminConfiguration.client.additionalProperties = kafka.properties
        let admin = try KafkaAdmin(configuration: adminConfiguration, logger: logger)
        var count: Int?
        for topic in kafka.inputTopics {
            let description: KafkaTopicDescription
            switch Result(catching: { () throws(KafkaError) in try admin.describeTopic(topic) }) {
            case .success(let found):
                description = found
            case .failure(let error) where error.code == .unknownTopic:
                throw KafkaError(.unknownTopic, "input topic '\(topic)' does not exist; create it (resonance produce does) or fix --input-topic")
            case .failure(let error):
                throw error
            }
            if let count, count != description.partitions.count {
                throw ConfigurationError("input topics must have the same number of partitions (co-partitioned): '\(topic)' has \(description.partitions.count), others \(count)")
            }
            count = description.partitions.count
        }
        let partitions = count ?? kafka.partitions
        try ensureTopic(admin, kafka.outputTopic, partitions: partitions, configs: ["cleanup.policy": "compact"])
        try ensureTopic(admin, kafka.resolvedDeadLetterTopic, partitions: partitions, configs: [:])
        // Named after the model configuration: standings computed under another one must never
        // be read as these. Records younger than an hour stay uncompacted, so a partition resumed
        // from a recent snapshot finds every standing it reads (docs/DESIGN.md).
        let standingsTopic = StandingsWire.topic(forScores: kafka.outputTopic, configuration: configuration.model)
        try ensureTopic(admin, standingsTopic, partitions: partitions, configs: [
            "cleanup.policy": "compact", "min.compaction.lag.ms": "3600000",
        ])
        // Where each partition's snapshots travel to other instances; compacted, so that it
        // keeps about the newest two per partition (the shipper tombstones older ones).
        var stateTopic: String?
        if configuration.state.shipsToKafka {
            let name = StateTopicWire.topic(forScores: kafka.outputTopic, configuration: configuration.model)
            try ensureTopic(admin, name, partitions: partitions, configs: ["cleanup.policy": "compact"])
            stateTopic = name
        }
        return PreparedTopics(partitions: partitions, standingsTopic: standingsTopic, stateTopic: stateTopic)
    }

    private func ensureTopic(_ admin: KafkaAdmin, _ name: String, partitions: Int, configs: [String: String]) throws {
        var topic = KafkaNewTopic(name: name, partitions: Int32(partitions))
        topic.replicationFactor = Int16(configuration.kafka.replicationFactor)
        topic.configs = configs
        switch Result(catching: { () throws(KafkaError) in try admin.createTopic(topic) }) {
        case .success:
            logger.info("created topic \(name) with \(partitions) partitions")
        case .failure(let error) where error.code != .topicAlreadyExists:
            throw error
        case .failure:
            let existing = try admin.describeTopic(name)
            guard existing.partitions.count == partitions else {
                throw ConfigurationError("topic '\(name)' has \(existing.partitions.count) partitions but the input has \(partitions); they must match so that every user's score lands in the partition of the user's events")
            }
        }
    }
}

/// The topics a scorer runs on, once checked and created.
public struct PreparedTopics: Equatable, Sendable {
    /// The partition count every topic shares.
    public var partitions: Int
    /// The standings topic of this model configuration.
    public var standingsTopic: String
    /// The state topic of this model configuration, when snapshots are shipped to Kafka.
    public var stateTopic: String?
}
