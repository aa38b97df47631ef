import Testing

@testable import ResonanceKafka

@Suite("Configuration errors")
struct ConfigurationTests {
    @Test("an unknown property is refused at construction, by name")
    func unknownProperty() {
        var configuration = ConsumerConfiguration(bootstrapServers: ["127.0.0.1:1"], groupID: "g")
        configuration.client.additionalProperties["no.such.property"] = "1"
        let error = #expect(throws: KafkaError.self) { try KafkaConsumer(configuration: configuration) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("no.such.property") == true)
    }

    @Test("an invalid value is refused at construction, naming the property")
    func invalidValue() {
        var configuration = ProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configuration.client.additionalProperties["compression.codec"] = "bogus"
        let error = #expect(throws: KafkaError.self) { try KafkaProducer(configuration: configuration) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("compression.codec") == true)
        #expect(error?.message.contains("bogus") == true)
    }

    @Test("a mapped field with an out-of-range value is refused too")
    func invalidMappedValue() {
        var configuration = ConsumerConfiguration(bootstrapServers: ["127.0.0.1:1"], groupID: "g")
        configuration.fetch.queuedMinMessages = 0
        let error = #expect(throws: KafkaError.self) { try KafkaConsumer(configuration: configuration) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("queued.min.messages") == true)
    }

    @Test("defaults: manual commits, eager assignor, partition EOF, quick refetch, no metrics push, idempotent murmur2 producer")
    func defaults() {
        let consumer = Dictionary(
            KafkaProperties.consumer(ConsumerConfiguration(bootstrapServers: ["b:1"], groupID: "g")),
            uniquingKeysWith: { $1 }
        )
        #expect(consumer["enable.auto.commit"] == "false")
        #expect(consumer["enable.auto.offset.store"] == "false")
        #expect(consumer["enable.partition.eof"] == "true")
        #expect(consumer["partition.assignment.strategy"] == "range")
        #expect(consumer["group.id"] == "g")
        #expect(consumer["fetch.queue.backoff.ms"] == "10")
        #expect(consumer["enable.metrics.push"] == "false")
        let producer = Dictionary(
            KafkaProperties.producer(ProducerConfiguration(bootstrapServers: ["b:1"])), uniquingKeysWith: { $1 }
        )
        #expect(producer["enable.idempotence"] == "true")
        #expect(producer["partitioner"] == "murmur2_random")
        #expect(producer["bootstrap.servers"] == "b:1")
        #expect(producer["enable.metrics.push"] == "false")
    }

    @Test("pass-through properties override mapped ones")
    func passThroughWins() {
        var configuration = ProducerConfiguration(bootstrapServers: ["b:1"])
        configuration.client.additionalProperties["partitioner"] = "consistent_random"
        let properties = KafkaProperties.producer(configuration)
        #expect(properties.last { $0.0 == "partitioner" }?.1 == "consistent_random")
    }

    @Test("durations map to whole milliseconds")
    func durations() {
        #expect(Duration.seconds(6).wholeMilliseconds == 6_000)
        #expect(Duration.milliseconds(500).wholeMilliseconds == 500)
        #expect(Duration.microseconds(1_999).wholeMilliseconds == 1)
    }
}
