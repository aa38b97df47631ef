/// Settings every Kafka client shares: where the brokers are, how long to wait for them, and
/// any further librdkafka property.
public struct ClientConfiguration: Sendable {
    /// `host:port` of one or more brokers to bootstrap from.
    public var bootstrapServers: [String]
    /// The name brokers see in their logs and quotas.
    public var clientID: String = "resonance"
    /// How long a new client waits for a broker to answer a metadata request before it gives up
    /// with `.brokerUnreachable`; this bounds start-up against a wrong address.
    public var connectTimeout: Duration = .seconds(10)
    /// Any other librdkafka property by its librdkafka name (for example `security.protocol`,
    /// `sasl.mechanisms`, `ssl.ca.location`). These win over the mapped fields, so they can also
    /// override a default.
    public var additionalProperties: [String: String] = [:]

    /// Settings for the brokers at `bootstrapServers` with every other field at its default.
    public init(bootstrapServers: [String]) {
        self.bootstrapServers = bootstrapServers
    }
}
