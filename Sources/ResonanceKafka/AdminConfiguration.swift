/// How a ``KafkaAdmin`` reaches the cluster and how long it waits for answers.
public struct AdminConfiguration: Sendable {
    /// Shared client settings.
    public var client: ClientConfiguration
    /// How long an administrative request may take (create, describe, delete).
    public var operationTimeout: Duration = .seconds(30)

    /// An admin client for the brokers at `bootstrapServers`.
    public init(bootstrapServers: [String]) {
        self.client = ClientConfiguration(bootstrapServers: bootstrapServers)
    }
}
