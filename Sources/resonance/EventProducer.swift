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

    /// How `produce` paces its events.
    struct Pacing {
        /// Events per second, spread evenly (sent in small groups every few milliseconds); nil
        /// for as fast as the client takes them.
        var rate: Double?
        /// Each event's `time` set to the wall clock when it is sent: a data set replayed as a
        /// live feed (and what a produce-to-publish latency is measured from).
        var live = false
    }

    /// Produces `events` in order and waits until every one is delivered.
    ///
    /// - Returns: messages per second, delivery included.
    static func produce(
        _ events: [EncodedEvent], topic: String, brokers: [String], partitions: Int, properties: [String: String],
        pacing: Pacing = Pacing(), progress: StepProgress? = nil
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
        try send(events, topic: topic, producer: producer, pacing: pacing, started: started, progress: progress)
        progress?.report(events.count, of: events.count)
        try producer.flush(timeout: .seconds(300))
        let failed = producer.failedDeliveryCount
        try producer.close()
        guard failed == 0 else {
            throw KafkaError(.timedOut, "\(failed) of \(events.count) events were not delivered; see the log above")
        }
        return Double(events.count) / max(started.duration(to: .now).seconds, 1e-9)
    }

    /// Sends what is due every 2 ms: as many events as the rate allows since the start, not
    /// per tick, so that a late wake-up catches up instead of lowering the rate. Without a rate,
    /// everything is due at once: one pass, no sleep.
    private static func send(
        _ events: [EncodedEvent], topic: String, producer: KafkaProducer, pacing: Pacing, started: ContinuousClock.Instant,
        progress: StepProgress?
    ) throws(KafkaError) {
        let tick = Duration.milliseconds(2)
        var sent = 0
        while sent < events.count {
            let elapsed = started.duration(to: .now).seconds
            let due = pacing.rate.map { min(events.count, Int($0 * elapsed)) } ?? events.count
            let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
            while sent < due {
                let event = pacing.live ? (events[sent].happening(at: now) ?? events[sent]) : events[sent]
                try producer.send(topic: topic, key: event.key, value: event.value)
                sent += 1
                if sent % 65_536 == 0 { progress?.report(sent, of: events.count) }
            }
            if sent < events.count {
                let next = started + tick * (Int(elapsed / tick.seconds) + 1)
                Thread.sleep(forTimeInterval: max(0, ContinuousClock.now.duration(to: next).seconds))
            }
        }
    }
}
