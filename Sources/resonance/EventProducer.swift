import ArgumentParser
import ResonanceEngine

/// Produces encoded events to Kafka (wired to the Kafka client in the next step).
enum EventProducer {
    static func produce(_ events: [EncodedEvent], topic: String, brokers: String?, properties: [String]) throws {
        throw ValidationError("producing to Kafka is not wired in this build yet; use --output FILE")
    }
}
