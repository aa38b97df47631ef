import Foundation
import ResonanceModel

/// Everything `resonance run` can be told, with the defaults a local setup needs.
///
/// Sources, lowest precedence first: these defaults, the configuration file (`--config`, TOML),
/// environment variables (`RESONANCE_*`), command-line flags. docs/CONFIGURATION.md lists every key.
public struct ResonanceConfiguration: Sendable, Equatable {
    /// Where the processor talks to Kafka.
    public struct Kafka: Sendable, Equatable {
        /// Bootstrap servers, `host:port` comma-separated.
        public var brokers = "127.0.0.1:9092"
        /// The consumer group the instances of one deployment share.
        public var group = "resonance"
        /// Topics of contract-v1 events, keyed by the user they are about.
        public var inputTopics = ["reactions"]
        /// The compacted topic of score changes, keyed by user.
        public var outputTopic = "scores"
        /// Where rejected input goes, with headers saying why. Empty: `<first input topic>.dead-letter`.
        public var deadLetterTopic = ""
        /// Partitions of the topics Resonance creates when they are missing.
        public var partitions = 4
        /// Replication factor of the topics Resonance creates.
        public var replicationFactor = 1
        /// How long the group waits for a silent member before handing its partitions to others.
        public var sessionTimeout: Duration = .seconds(45)
        /// This instance's static group membership (`group.instance.id`): a restarted instance
        /// with the same id gets its partitions back without a rebalance, as long as it returns
        /// within the session timeout. Empty: dynamic membership.
        public var instanceID = ""
        /// How often a member tells the group it is alive.
        public var heartbeatInterval: Duration = .seconds(3)
        /// Any other librdkafka property (SASL, SSL, timeouts), passed through unchanged to every
        /// client (consumers, producer, admin).
        public var properties: [String: String] = [:]

        public init() {}

        /// The bootstrap servers, one per entry, without spaces.
        public var brokerList: [String] {
            brokers.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }
        }

        /// The dead-letter topic's name, resolved.
        public var resolvedDeadLetterTopic: String {
            deadLetterTopic.isEmpty ? "\(inputTopics.first ?? "reactions").dead-letter" : deadLetterTopic
        }
    }

    /// Where state lives on disk.
    public struct State: Sendable, Equatable {
        /// The state directory (snapshots).
        public var directory = "state"
        /// How often each partition's state is snapshotted.
        public var snapshotInterval: Duration = .seconds(30)
        /// How many snapshots of each partition are kept.
        public var snapshotsKept = 3
        /// Whether each snapshot is also shipped to the compacted state topic, from which an
        /// instance without it on disk restores a partition it is given.
        public var shipsToKafka = true

        public init() {}
    }

    /// The HTTP API.
    public struct HTTP: Sendable, Equatable {
        /// Listen address.
        public var host = "127.0.0.1"
        /// Listen port; 0 disables the server.
        public var port = 8080

        public init() {}
    }

    /// Kafka settings.
    public var kafka = Kafka()
    /// State settings.
    public var state = State()
    /// HTTP settings.
    public var http = HTTP()
    /// Publishing rules.
    public var publishing = PublishingOptions()
    /// Believable event times.
    public var eventTime = EventTimePolicy()
    /// Decoder limits.
    public var limits = DecoderLimits()
    /// The influence model.
    public var model = ModelConfiguration()
    /// Log level: trace, debug, info, notice, warning, error, critical.
    public var logLevel = "info"
    /// How long a graceful shutdown may take before the process exits anyway.
    public var shutdownTimeout: Duration = .seconds(30)
    /// Threads that apply events, each to one partition at a time; 0: one per core. No more are
    /// used than there are partitions.
    public var processingThreads = 0

    /// ``processingThreads`` with 0 resolved to the cores this process may use.
    public var resolvedProcessingThreads: Int {
        processingThreads > 0 ? processingThreads : ProcessInfo.processInfo.activeProcessorCount
    }

    public init() {}
}
