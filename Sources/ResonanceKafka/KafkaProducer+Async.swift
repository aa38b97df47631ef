import Logging

/// Async twins of the producer's blocking methods, run on the producer's own serial queue.
extension KafkaProducer {
    /// Creates a producer off the cooperative pool (the start-up reachability check blocks).
    public static func connect(
        configuration: ProducerConfiguration,
        deliveryFailureHandler: (@Sendable (KafkaDeliveryFailure) -> Void)? = nil,
        logger: Logger = Logger(label: "resonance.kafka.producer")
    ) async throws(KafkaError) -> KafkaProducer {
        try await BlockingWorker(label: "resonance.kafka.producer.start").run { () throws(KafkaError) in
            try KafkaProducer(configuration: configuration, deliveryFailureHandler: deliveryFailureHandler, logger: logger)
        }
    }

    /// See ``flush(timeout:)``.
    public func flush(timeout: Duration) async throws(KafkaError) {
        try await worker.run { () throws(KafkaError) in try self.flush(timeout: timeout) }
    }

    /// See ``close(timeout:)``.
    public func close(timeout: Duration = .seconds(30)) async throws(KafkaError) {
        try await worker.run { () throws(KafkaError) in try self.close(timeout: timeout) }
    }
}
