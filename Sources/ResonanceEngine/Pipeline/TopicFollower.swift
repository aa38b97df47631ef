import Foundation
import Logging
import ResonanceKafka

/// Reads a whole topic, every partition from the beginning and outside any group, on a thread of
/// its own, and hands each message to a handler: what every instance does with the scores topic
/// (``ScoreTableFollower``) and the standings topic (``StandingsFollower``).
final class TopicFollower: @unchecked Sendable {
    let topic: String
    private let consumer: KafkaConsumer
    private let threadName: String
    private let logger: Logger
    private let handle: (KafkaMessage) -> Void
    private let pollTimeout: Duration
    private let stop = StopSignal()
    private let finished = DispatchSemaphore(value: 0)
    private var thread: Thread?

    /// Connects and assigns every partition of `topic` from its beginning; ``start()`` begins.
    init(
        brokers: [String], topic: String, properties: [String: String], clientID: String, threadName: String,
        pollTimeout: Duration = .milliseconds(100), logger: Logger, handle: @escaping (KafkaMessage) -> Void
    ) throws(KafkaError) {
        var configuration = ConsumerConfiguration(bootstrapServers: brokers, groupID: nil)
        configuration.client.additionalProperties = properties
        configuration.client.clientID = clientID
        configuration.enablePartitionEOF = false
        consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let partitions = try consumer.partitions(of: topic)
        try consumer.assign(Dictionary(uniqueKeysWithValues: partitions.map { ($0, KafkaOffset.beginning) }))
        self.topic = topic
        self.threadName = threadName
        self.pollTimeout = pollTimeout
        self.logger = logger
        self.handle = handle
    }

    /// Starts the thread.
    func start() {
        let thread = Thread { [self] in
            follow()
            finished.signal()
        }
        thread.name = threadName
        self.thread = thread
        thread.start()
    }

    /// Stops following and waits for the thread to end.
    func stopAndWait() {
        guard thread != nil else { return }
        stop.raise()
        finished.wait()
        thread = nil
        try? consumer.close()
    }

    /// Follows on the calling thread until `stop` is raised, then disconnects (instead of
    /// ``start()``: for a caller that already runs it on a thread of its own).
    func follow(until stop: StopSignal) {
        follow(stop)
        try? consumer.close()
    }

    private func follow(_ stop: StopSignal? = nil) {
        let stop = stop ?? self.stop
        while !stop.isRaised {
            let batch: KafkaMessageBatch
            do {
                batch = try consumer.poll(maxMessages: 10_000, timeout: pollTimeout)
            } catch {
                logger.error("\(threadName): cannot read \(topic): \(error.message)")
                Thread.sleep(forTimeInterval: 1)
                continue
            }
            for message in batch { handle(message) }
        }
    }
}
