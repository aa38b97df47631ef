import Testing

@testable import ResonanceKafka

/// Against librdkafka's in-process mock cluster: no real broker needed.
@Suite("Kafka client against librdkafka's mock cluster")
struct MockClusterTests {
    @Test("produce then consume: keys, values, headers and a tombstone come back unchanged")
    func roundTrip() throws {
        let cluster = try KafkaMockCluster()
        let topic = "round-trip"
        try cluster.createTopic(topic, partitions: 3)
        let producer = try KafkaProducer(configuration: ProducerConfiguration(bootstrapServers: [cluster.bootstrapServers]))
        let count = 1_000
        for index in 0..<count {
            try producer.send(
                topic: topic, key: Array("key-\(index)".utf8), value: Array("value-\(index)".utf8),
                headers: [KafkaHeader(name: "index", value: Array(String(index).utf8))]
            )
        }
        try producer.send(topic: topic, key: Array("gone".utf8), value: nil)
        try producer.close(timeout: .seconds(10))
        #expect(producer.deliveredCount == count + 1)
        #expect(producer.failedDeliveryCount == 0)

        let consumer = try KafkaConsumer(
            configuration: ConsumerConfiguration(bootstrapServers: [cluster.bootstrapServers], groupID: nil)
        )
        let partitions = try consumer.partitions(of: topic)
        #expect(partitions.count == 3)
        try consumer.assign(Dictionary(uniqueKeysWithValues: partitions.map { ($0, KafkaOffset.beginning) }))
        var values: [String: String] = [:]
        var headerMatches = 0
        var tombstones: [String] = []
        var ended = Set<KafkaTopicPartition>()
        var polls = 0
        while ended.count < partitions.count, polls < 200 {
            polls += 1
            let batch = try consumer.poll(maxMessages: 500, timeout: .milliseconds(100))
            #expect(batch.errors.isEmpty)
            for message in batch {
                let key = String(decoding: message.key!, as: UTF8.self)
                guard let value = message.value else {
                    tombstones.append(key)
                    continue
                }
                values[key] = String(decoding: value, as: UTF8.self)
                let index = key.dropFirst("key-".count)
                if message.header(named: "index").map({ String(decoding: $0, as: UTF8.self) }) == String(index) {
                    headerMatches += 1
                }
            }
            ended.formUnion(batch.partitionEnds.map(\.topicPartition))
        }
        #expect(ended == Set(partitions))
        #expect(values.count == count)
        #expect((0..<count).allSatisfy { values["key-\($0)"] == "value-\($0)" })
        #expect(headerMatches == count)
        #expect(tombstones == ["gone"])
        try consumer.close()
    }

    @Test("the same key always lands in the same partition (murmur2)")
    func keysStayInTheirPartition() throws {
        let cluster = try KafkaMockCluster()
        let topic = "keyed"
        try cluster.createTopic(topic, partitions: 4)
        let producer = try KafkaProducer(configuration: ProducerConfiguration(bootstrapServers: [cluster.bootstrapServers]))
        for round in 0..<3 {
            for user in 0..<50 {
                try producer.send(topic: topic, key: Array("user-\(user)".utf8), value: Array("\(round)".utf8))
            }
        }
        try producer.close(timeout: .seconds(10))
        let consumer = try KafkaConsumer(
            configuration: ConsumerConfiguration(bootstrapServers: [cluster.bootstrapServers], groupID: nil)
        )
        let partitions = try consumer.partitions(of: topic)
        try consumer.assign(Dictionary(uniqueKeysWithValues: partitions.map { ($0, KafkaOffset.beginning) }))
        var partitionsOfKey: [String: Set<Int32>] = [:]
        var seen = 0
        var ended = Set<KafkaTopicPartition>()
        while ended.count < partitions.count {
            let batch = try consumer.poll(maxMessages: 500, timeout: .milliseconds(100))
            for message in batch {
                partitionsOfKey[String(decoding: message.key!, as: UTF8.self), default: []].insert(message.partition)
                seen += 1
            }
            ended.formUnion(batch.partitionEnds.map(\.topicPartition))
        }
        #expect(seen == 150)
        #expect(partitionsOfKey.count == 50)
        #expect(partitionsOfKey.values.allSatisfy { $0.count == 1 })
        // murmur2 spreads 50 keys over more than one of 4 partitions.
        #expect(Set(partitionsOfKey.values.flatMap { $0 }).count > 1)
    }

    @Test("a non-retriable Produce error reaches the failure handler with its code")
    func injectedProduceError() throws {
        let cluster = try KafkaMockCluster()
        let topic = "denied"
        try cluster.createTopic(topic, partitions: 1)
        let failures = Recorder<[KafkaDeliveryFailure]>([])
        let producer = try KafkaProducer(
            configuration: ProducerConfiguration(bootstrapServers: [cluster.bootstrapServers]),
            deliveryFailureHandler: { failure in failures.update { $0.append(failure) } }
        )
        // Warm up so the next Produce request carries exactly the message under test.
        try producer.send(topic: topic, key: Array("first".utf8), value: Array("ok".utf8))
        try producer.flush(timeout: .seconds(10))
        // 29 = TOPIC_AUTHORIZATION_FAILED: librdkafka must not retry it.
        cluster.failNextRequests(.produce, with: [29])
        try producer.send(topic: topic, key: Array("second".utf8), value: Array("denied".utf8))
        try producer.flush(timeout: .seconds(10))
        try producer.close(timeout: .seconds(5))
        let reported = failures.value
        #expect(reported.count == 1)
        #expect(reported.first?.error.code == .librdkafka(29))
        #expect(reported.first?.key == Array("second".utf8))
        #expect(reported.first?.topic == topic)
        #expect(producer.failedDeliveryCount == 1)
        #expect(producer.deliveredCount == 1)
    }

    @Test("a retriable Produce error is retried and the message still arrives")
    func retriableProduceError() throws {
        let cluster = try KafkaMockCluster()
        let topic = "flaky"
        try cluster.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(configuration: ProducerConfiguration(bootstrapServers: [cluster.bootstrapServers]))
        try producer.send(topic: topic, key: Array("first".utf8), value: Array("ok".utf8))
        try producer.flush(timeout: .seconds(10))
        // 6 = NOT_LEADER_OR_FOLLOWER, 7 = REQUEST_TIMED_OUT: both retriable.
        cluster.failNextRequests(.produce, with: [6, 7])
        try producer.send(topic: topic, key: Array("second".utf8), value: Array("retried".utf8))
        try producer.close(timeout: .seconds(20))
        #expect(producer.failedDeliveryCount == 0)
        #expect(producer.deliveredCount == 2)
    }

    @Test("assigning a missing topic throws .unknownTopic")
    func missingTopic() throws {
        let cluster = try KafkaMockCluster()
        let consumer = try KafkaConsumer(
            configuration: ConsumerConfiguration(bootstrapServers: [cluster.bootstrapServers], groupID: "g")
        )
        let error = #expect(throws: KafkaError.self) {
            try consumer.assign([KafkaTopicPartition(topic: "absent", partition: 0): .beginning])
        }
        #expect(error?.code == .unknownTopic)
        let subscribeError = #expect(throws: KafkaError.self) { try consumer.subscribe(topics: ["absent"]) }
        #expect(subscribeError?.code == .unknownTopic)
    }

    @Test("commit, committed offsets, seek, pause and watermarks in a group on the mock cluster")
    func offsetsAndPositions() throws {
        let cluster = try KafkaMockCluster()
        let topic = "offsets"
        try cluster.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(configuration: ProducerConfiguration(bootstrapServers: [cluster.bootstrapServers]))
        for index in 0..<10 { try producer.send(topic: topic, key: Array("k\(index)".utf8), value: Array("v".utf8)) }
        try producer.close(timeout: .seconds(10))

        let partition = KafkaTopicPartition(topic: topic, partition: 0)
        let consumer = try KafkaConsumer(
            configuration: ConsumerConfiguration(bootstrapServers: [cluster.bootstrapServers], groupID: "offsets-group")
        )
        try consumer.assign([partition: .beginning])
        #expect(try consumer.assignment() == [partition])
        #expect(try consumer.watermarks(for: partition) == KafkaWatermarks(low: 0, high: 10))
        #expect(try TestSupport.drain(consumer, partitions: [partition]).count == 10)

        try consumer.store([partition: 4])
        try consumer.commit()
        #expect(try consumer.committedOffsets(for: [partition]) == [partition: 4])
        try consumer.commit([partition: 7])
        #expect(try consumer.committedOffsets(for: [partition]) == [partition: 7])

        try consumer.seek([partition: .exact(8)])
        let afterSeek = try TestSupport.drain(consumer, partitions: [partition])
        #expect(afterSeek == ["k8", "k9"])
        let positions = try consumer.positions(for: [partition])
        // librdkafka 2.8 moves the position one past the end when it reports the partition end,
        // so only a lower bound is the documented behaviour.
        #expect(positions[partition].map { $0 >= 10 } == true)

        // Paused: nothing arrives even after a seek back; resumed: the messages come.
        try consumer.pause([partition])
        try consumer.seek([partition: .exact(5)])
        var whilePaused = 0
        for _ in 0..<5 { whilePaused += try consumer.poll(maxMessages: 100, timeout: .milliseconds(100)).count }
        #expect(whilePaused == 0)
        try consumer.resume([partition])
        #expect(try TestSupport.drain(consumer, partitions: [partition]) == ["k5", "k6", "k7", "k8", "k9"])
        try consumer.close()
        let closedError = #expect(throws: KafkaError.self) { try consumer.poll() }
        #expect(closedError?.code == .closed)
    }

    @Test("an unreachable broker is one clear error within the connect timeout")
    func unreachableBroker() {
        var configuration = ProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configuration.client.connectTimeout = .seconds(2)
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: KafkaError.self) { try KafkaProducer(configuration: configuration) }
        #expect(error?.code == .brokerUnreachable)
        #expect(error?.message.contains("127.0.0.1:1") == true)
        // A bound on hanging, not a speed claim: the call must give up near its timeout.
        #expect(clock.now - start < .seconds(10))
    }
}
