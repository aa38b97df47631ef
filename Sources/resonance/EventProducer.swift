import Foundation
import ResonanceEngine
import ResonanceKafka

/// Produces encoded events to a Kafka topic, creating it when missing.
enum EventProducer {
    /// Whether `topic` exists (false when the broker cannot be asked: producing will then report why).
    static func topicExists(_ topic: String, brokers: [String]) -> Bool {
        guard let admin = try? KafkaAdmin(configuration: AdminConfiguration(bootstrapServers: brokers)) else { return false }
        return (try? admin.describeTopic(topic)) != nil
    }

    /// Produces `events` in order and waits until every one is delivered.
    ///
    /// - Returns: messages per second, delivery included.
    static func produce(
        _ events: [EncodedEvent], topic: String, brokers: [String], partitions: Int, properties: [String: String]
    ) throws(KafkaError) -> Double {
        var adminConfiguration = AdminConfiguration(bootstrapServers: brokers)
        adminConfiguration.client.additionalProperties = properties
        let admin = try KafkaAdmin(configuration: adminConfiguration)
        switch Result(catching: { () throws(KafkaError) in try admin.createTopic(KafkaNewTopic(name: topic, partitions: Int32(partitions))) }) {
        case .success: break
        case .failure(let error) where error.code == .topicAlreadyExists: break
        case .failure(let error): throw error
        }
        var configuration = ProducerConfiguration(bootstrapServers: brokers)
        configuration.client.additionalProperties = properties
        configuration.client.clientID = "resonance-produce"
        // Keyed events must land where Java clients would put them (murmur2): the scorer's state
        // and the scores topic are partitioned the same way.
        configuration.partitioner = .murmur2Random
        let producer = try KafkaProducer(configuration: configuration)
        let started = ContinuousClock.now
        for event in events {
            try producer.send(topic: topic, key: event.key, value: event.value)
        }
        try producer.flush(timeout: .seconds(300))
        let failed = producer.failedDeliveryCount
        try producer.close()
        guard failed == 0 else {
            throw KafkaError(.timedOut, "\(failed) of \(events.count) events were not delivered; see the log above")
        }
        return Double(events.count) / max(started.duration(to: .now).seconds, 1e-9)
    }
}
