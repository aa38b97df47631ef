import Logging

/// Async twins of the admin's blocking methods, run on the admin's own serial queue.
extension KafkaAdmin {
    /// Creates an admin client off the cooperative pool (the start-up reachability check blocks).
    public static func connect(
        configuration: AdminConfiguration, logger: Logger = Logger(label: "resonance.kafka.admin")
    ) async throws(KafkaError) -> KafkaAdmin {
        try await BlockingWorker(label: "resonance.kafka.admin.start").run { () throws(KafkaError) in
            try KafkaAdmin(configuration: configuration, logger: logger)
        }
    }

    /// See ``createTopic(_:)``.
    public func createTopic(_ topic: KafkaNewTopic) async throws(KafkaError) {
        try await worker.run { () throws(KafkaError) in try self.createTopic(topic) }
    }

    /// See ``deleteTopic(_:)``.
    public func deleteTopic(_ name: String) async throws(KafkaError) {
        try await worker.run { () throws(KafkaError) in try self.deleteTopic(name) }
    }

    /// See ``describeTopic(_:includeWatermarks:)``.
    public func describeTopic(_ name: String, includeWatermarks: Bool = false) async throws(KafkaError) -> KafkaTopicDescription {
        try await worker.run { () throws(KafkaError) in try self.describeTopic(name, includeWatermarks: includeWatermarks) }
    }
}
