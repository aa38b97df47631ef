import Foundation
import Testing

@testable import ResonanceKafka

/// Against the real local broker (Tansu). Enabled only when `RESONANCE_TEST_BROKERS` holds its
/// address (`scripts/broker start` prints it); without a broker there is nothing to test here.
/// Serialized because group joins and a 100,000-message topic compete for the same two cores.
@Suite("Kafka client against the local broker", .serialized, .enabled(if: TestSupport.brokers != nil))
struct BrokerIntegrationTests {
    let brokers = TestSupport.brokers ?? ""

    /// What one consumer run in a group saw.
    struct RunResult {
        var processed = 0
        /// Processed but not yet committed when the run stopped: the at-least-once window.
        var processedAfterLastCommit = 0
    }

    /// Consumes in `group`, recording keys in `seen` and committing after every batch, until
    /// `stopAfter` messages (then commit and close), or until every partition reported its end.
    func consumeInGroup(
        _ group: String, topic: String, partitions: Set<KafkaTopicPartition>, stopAfter: Int?,
        seen: inout [String: Int]
    ) throws -> RunResult {
        let consumer = try KafkaConsumer(configuration: TestSupport.consumerConfiguration(brokers: brokers, groupID: group))
        try consumer.subscribe(topics: [topic])
        var result = RunResult()
        var ended = Set<KafkaTopicPartition>()
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < .seconds(90) {
            let batch = try consumer.poll(maxMessages: 5_000, timeout: .milliseconds(200))
            #expect(batch.errors.isEmpty)
            var nextOffsets: [KafkaTopicPartition: Int64] = [:]
            for message in batch {
                seen[String(decoding: message.key!, as: UTF8.self), default: 0] += 1
                nextOffsets[KafkaTopicPartition(topic: topic, partition: message.partition)] = message.offset + 1
                result.processed += 1
                result.processedAfterLastCommit += 1
            }
            // Only what was processed is committed: the next offset after each processed message.
            try consumer.commit(nextOffsets)
            result.processedAfterLastCommit = 0
            ended.formUnion(batch.partitionEnds.map(\.topicPartition))
            if let stopAfter, result.processed >= stopAfter { break }
            if stopAfter == nil, ended == partitions { break }
        }
        try consumer.close()
        return result
    }

    /// At-least-once across a restart: every message is seen, and the only duplicates are the
    /// messages processed after the last commit before the stop. Run 1 commits what it processed
    /// and then closes, so that window is empty and there must be no duplicates at all.
    @Test("100,000 keyed messages, stopped half way and restarted: none lost, duplicates only from the uncommitted window")
    func restartInGroup() throws {
        let topic = TestSupport.uniqueTopic("restart")
        let admin = try KafkaAdmin(configuration: AdminConfiguration(bootstrapServers: [brokers]))
        try admin.createTopic(KafkaNewTopic(name: topic, partitions: 4))
        let total = 100_000
        let producer = try KafkaProducer(configuration: ProducerConfiguration(bootstrapServers: [brokers]))
        let payload = [UInt8](repeating: 0x61, count: 100)
        for index in 0..<total {
            try producer.send(topic: topic, key: Array("key-\(index)".utf8), value: payload)
        }
        try producer.close(timeout: .seconds(60))
        #expect(producer.deliveredCount == total)
        #expect(producer.failedDeliveryCount == 0)

        let partitions = Set((0..<4).map { KafkaTopicPartition(topic: topic, partition: $0) })
        let group = "group-\(topic)"
        var seen: [String: Int] = [:]
        let first = try consumeInGroup(group, topic: topic, partitions: partitions, stopAfter: total / 2, seen: &seen)
        #expect(first.processed >= total / 2)
        #expect(first.processed < total, "run 1 must stop before the end for the restart to matter")
        let second = try consumeInGroup(group, topic: topic, partitions: partitions, stopAfter: nil, seen: &seen)

        let missing = (0..<total).filter { seen["key-\($0)", default: 0] == 0 }
        #expect(missing.isEmpty, "lost \(missing.count) messages, e.g. \(missing.prefix(5))")
        #expect(seen.count == total)
        let duplicates = seen.values.reduce(0) { $0 + ($1 - 1) }
        #expect(duplicates == first.processedAfterLastCommit)
        #expect(duplicates == 0)
        #expect(first.processed + second.processed == total + duplicates)
    }

    /// One rebalance hook event, as the test records it.
    enum RebalanceEvent: Equatable {
        case assigned(Set<Int32>)
        case revoked(Set<Int32>, stillAssigned: Bool)
    }

    @Test("two consumers split 4 partitions; when one leaves the other gets them, and the hooks say so")
    func groupRebalance() throws {
        let topic = TestSupport.uniqueTopic("rebalance")
        let admin = try KafkaAdmin(configuration: AdminConfiguration(bootstrapServers: [brokers]))
        try admin.createTopic(KafkaNewTopic(name: topic, partitions: 4))
        let group = "group-\(topic)"
        let all: Set<Int32> = [0, 1, 2, 3]

        func makeConsumer(_ events: Recorder<[RebalanceEvent]>) throws -> KafkaConsumer {
            let me = Recorder<KafkaConsumer?>(nil)
            let handler = KafkaRebalanceHandler(
                assigned: { partitions in
                    events.update { $0.append(.assigned(Set(partitions.map(\.partition)))) }
                    return [:]
                },
                revoked: { partitions in
                    // "Before they go": the partitions must still be assigned while the hook runs.
                    let assignedNow = Set((try? me.value?.assignment()) ?? [])
                    events.update {
                        $0.append(.revoked(Set(partitions.map(\.partition)), stillAssigned: assignedNow.isSuperset(of: partitions)))
                    }
                }
            )
            let consumer = try KafkaConsumer(
                configuration: TestSupport.consumerConfiguration(brokers: brokers, groupID: group), rebalanceHandler: handler
            )
            me.update { $0 = consumer }
            return consumer
        }
        func partitions(_ consumer: KafkaConsumer) throws -> Set<Int32> { Set(try consumer.assignment().map(\.partition)) }
        func pollUntil(_ consumers: [KafkaConsumer], _ condition: () throws -> Bool) throws -> Bool {
            let clock = ContinuousClock()
            let start = clock.now
            while clock.now - start < .seconds(45) {
                for consumer in consumers { _ = try consumer.poll(maxMessages: 100, timeout: .milliseconds(100)) }
                if try condition() { return true }
            }
            return false
        }

        let eventsA = Recorder<[RebalanceEvent]>([])
        let eventsB = Recorder<[RebalanceEvent]>([])
        let consumerA = try makeConsumer(eventsA)
        try consumerA.subscribe(topics: [topic])
        #expect(try pollUntil([consumerA]) { try partitions(consumerA) == all })
        #expect(eventsA.value == [.assigned(all)])

        let consumerB = try makeConsumer(eventsB)
        try consumerB.subscribe(topics: [topic])
        #expect(try pollUntil([consumerA, consumerB]) { try partitions(consumerA).count == 2 && partitions(consumerB).count == 2 })
        let splitA = try partitions(consumerA)
        let splitB = try partitions(consumerB)
        #expect(splitA.isDisjoint(with: splitB))
        #expect(splitA.union(splitB) == all)
        // Eager rebalancing: A gives up everything, then gets its half.
        #expect(eventsA.value == [.assigned(all), .revoked(all, stillAssigned: true), .assigned(splitA)])
        #expect(eventsB.value == [.assigned(splitB)])

        try consumerB.close()
        #expect(eventsB.value == [.assigned(splitB), .revoked(splitB, stillAssigned: true)])
        #expect(try pollUntil([consumerA]) { try partitions(consumerA) == all })
        #expect(
            eventsA.value == [
                .assigned(all), .revoked(all, stillAssigned: true), .assigned(splitA),
                .revoked(splitA, stillAssigned: true), .assigned(all),
            ]
        )
        try consumerA.close()
    }

    @Test("the assign hook's start offsets are where consumption begins (resume from a snapshot)")
    func assignHookChoosesStartOffsets() throws {
        let topic = TestSupport.uniqueTopic("resume")
        let admin = try KafkaAdmin(configuration: AdminConfiguration(bootstrapServers: [brokers]))
        try admin.createTopic(KafkaNewTopic(name: topic, partitions: 2))
        let producer = try KafkaProducer(configuration: ProducerConfiguration(bootstrapServers: [brokers]))
        for partition in Int32(0)..<2 {
            for index in 0..<50 {
                try producer.send(topic: topic, key: Array("p\(partition)-\(index)".utf8), value: Array("v".utf8), partition: partition)
            }
        }
        try producer.close(timeout: .seconds(10))
        let first = KafkaTopicPartition(topic: topic, partition: 0)
        let second = KafkaTopicPartition(topic: topic, partition: 1)
        // Partition 0 resumes from a "snapshot" at offset 40; partition 1 has no snapshot and no
        // committed offset, so it starts at the beginning (offsetReset = .earliest).
        let handler = KafkaRebalanceHandler(assigned: { _ in [first: .exact(40)] }, revoked: { _ in })
        let consumer = try KafkaConsumer(
            configuration: TestSupport.consumerConfiguration(brokers: brokers, groupID: "group-\(topic)"),
            rebalanceHandler: handler
        )
        try consumer.subscribe(topics: [topic])
        let keys = try TestSupport.drain(consumer, partitions: [first, second])
        #expect(keys.filter { $0.hasPrefix("p0-") } == (40..<50).map { "p0-\($0)" })
        #expect(keys.filter { $0.hasPrefix("p1-") } == (0..<50).map { "p1-\($0)" })
        try consumer.close()
    }

    @Test("admin: create with configs, describe, 'already exists' is distinct, delete")
    func adminTopics() throws {
        let topic = TestSupport.uniqueTopic("admin")
        let admin = try KafkaAdmin(configuration: AdminConfiguration(bootstrapServers: [brokers]))
        var newTopic = KafkaNewTopic(name: topic, partitions: 4)
        newTopic.configs = ["cleanup.policy": "compact"]
        try admin.createTopic(newTopic)
        let again = #expect(throws: KafkaError.self) { try admin.createTopic(newTopic) }
        #expect(again?.code == .topicAlreadyExists)

        let producer = try KafkaProducer(configuration: ProducerConfiguration(bootstrapServers: [brokers]))
        try producer.send(topic: topic, key: Array("k".utf8), value: Array("v".utf8), partition: 2)
        try producer.close(timeout: .seconds(10))

        let description = try admin.describeTopic(topic, includeWatermarks: true)
        #expect(description.name == topic)
        #expect(description.partitions.map(\.partition) == [0, 1, 2, 3])
        #expect(description.partitions.allSatisfy { $0.leader >= 0 })
        #expect(description.partitions[2].watermarks?.high == 1)
        #expect(try admin.topicNames().contains(topic))

        try admin.deleteTopic(topic)
        let described = #expect(throws: KafkaError.self) { try admin.describeTopic(topic) }
        #expect(described?.code == .unknownTopic)
    }

    @Test("a missing topic is .unknownTopic for subscribe, assign, describe and the producer check")
    func missingTopic() throws {
        let topic = TestSupport.uniqueTopic("absent")
        let consumer = try KafkaConsumer(configuration: TestSupport.consumerConfiguration(brokers: brokers, groupID: "g-\(topic)"))
        let subscribeError = #expect(throws: KafkaError.self) { try consumer.subscribe(topics: [topic]) }
        #expect(subscribeError?.code == .unknownTopic)
        let assignError = #expect(throws: KafkaError.self) {
            try consumer.assign([KafkaTopicPartition(topic: topic, partition: 0): .beginning])
        }
        #expect(assignError?.code == .unknownTopic)
        let admin = try KafkaAdmin(configuration: AdminConfiguration(bootstrapServers: [brokers]))
        let describeError = #expect(throws: KafkaError.self) { try admin.describeTopic(topic) }
        #expect(describeError?.code == .unknownTopic)
        #expect(describeError?.message.contains(topic) == true)
        let producer = try KafkaProducer(configuration: ProducerConfiguration(bootstrapServers: [brokers]))
        let producerError = #expect(throws: KafkaError.self) { try producer.requireTopics([topic]) }
        #expect(producerError?.code == .unknownTopic)
        try consumer.close()
    }

    @Test("an unreachable broker fails consumer, producer and admin within seconds")
    func unreachableBroker() throws {
        var consumerConfiguration = TestSupport.consumerConfiguration(brokers: "127.0.0.1:1", groupID: "g")
        consumerConfiguration.client.connectTimeout = .seconds(2)
        var adminConfiguration = AdminConfiguration(bootstrapServers: ["127.0.0.1:1"])
        adminConfiguration.client.connectTimeout = .seconds(2)
        let clock = ContinuousClock()
        let start = clock.now
        let consumerError = #expect(throws: KafkaError.self) { try KafkaConsumer(configuration: consumerConfiguration) }
        #expect(consumerError?.code == .brokerUnreachable)
        let adminError = #expect(throws: KafkaError.self) { try KafkaAdmin(configuration: adminConfiguration) }
        #expect(adminError?.code == .brokerUnreachable)
        // A bound on hanging, not a speed claim.
        #expect(clock.now - start < .seconds(15))
    }
}
