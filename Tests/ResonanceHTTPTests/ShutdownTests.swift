import Foundation
import Logging
import ResonanceEngine
import ResonanceHTTP
import ResonanceKafka
import ServiceLifecycle
import Testing

/// Graceful shutdown against the real broker: a whole scorer (pipeline, score feed, HTTP server)
/// in a service group processes real events, then graceful shutdown is triggered as SIGTERM would:
/// the group must end by itself within the shutdown timeout, with every score change the pipeline
/// counted as published actually in the scores topic (the producer was flushed).
@Suite(.enabled(if: TestSupport.brokers != nil, "set RESONANCE_TEST_BROKERS (scripts/test does)"))
struct ShutdownTests {
    let logger: Logger = {
        var logger = Logger(label: "resonance.test.shutdown")
        logger.logLevel = .warning
        return logger
    }()

    private func produce(_ events: [EncodedEvent], topic: String, brokers: String) throws {
        var adminConfiguration = AdminConfiguration(bootstrapServers: [brokers])
        adminConfiguration.operationTimeout = .seconds(30)
        let admin = try KafkaAdmin(configuration: adminConfiguration, logger: logger)
        try admin.createTopic(KafkaNewTopic(name: topic, partitions: 2))
        let producer = try KafkaProducer(configuration: ProducerConfiguration(bootstrapServers: [brokers]), logger: logger)
        for event in events {
            try producer.send(topic: topic, key: event.key, value: event.value)
        }
        try producer.flush(timeout: .seconds(60))
        try producer.close()
    }

    /// Every message in `topic`, read from the beginning to the end of each partition.
    private func count(_ topic: String, brokers: String) throws -> Int {
        let consumer = try KafkaConsumer(configuration: ConsumerConfiguration(bootstrapServers: [brokers], groupID: nil), logger: logger)
        defer { try? consumer.close() }
        let partitions = try consumer.partitions(of: topic)
        try consumer.assign(Dictionary(uniqueKeysWithValues: partitions.map { ($0, KafkaOffset.beginning) }))
        var ended = Set<KafkaTopicPartition>()
        var messages = 0
        let clock = ContinuousClock()
        let start = clock.now
        while ended.count < partitions.count, clock.now - start < .seconds(60) {
            let batch = try consumer.poll(maxMessages: 10_000, timeout: .milliseconds(200))
            messages += batch.count
            for end in batch.partitionEnds { ended.insert(end.topicPartition) }
        }
        #expect(ended.count == partitions.count, "the scores topic was not read to its end")
        return messages
    }

    @Test func serviceGroupStopsWithinTheTimeoutAfterFlushingEveryChange() async throws {
        let brokers = try #require(TestSupport.brokers)
        let input = TestSupport.unique("shutdown")
        let events = try TestSupport.twitterEvents(rows: 3_000).sorted { $0.time < $1.time }
        try produce(events, topic: input, brokers: brokers)

        var configuration = ResonanceConfiguration()
        configuration.kafka.brokers = brokers
        configuration.kafka.inputTopics = [input]
        configuration.kafka.outputTopic = "\(input)-scores"
        configuration.kafka.group = "\(input)-group"
        // Tansu's group joins take seconds instead of ~23 s with these.
        configuration.kafka.sessionTimeout = .seconds(6)
        configuration.kafka.heartbeatInterval = .milliseconds(500)
        configuration.state.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("resonance-state-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: configuration.state.directory) }
        configuration.http.host = "127.0.0.1"
        configuration.http.port = try TestSupport.freePort()
        // Alone the shutdown takes well under a second; under the whole suite on two cores the
        // cooperative threads can be held by other tests for tens of seconds, so the timeout the
        // shutdown must beat is wide.
        configuration.shutdownTimeout = .seconds(60)
        // Hold changes back so that some are still pending when shutdown starts: those must
        // be published and flushed on the way out.
        configuration.publishing.minimumInterval = .seconds(3600)
        let runtime = ScorerRuntime(
            configuration: configuration, mode: .continuous, logger: logger, observationInterval: .milliseconds(100))
        let group = runtime.serviceGroup(signals: [])

        let clock = ContinuousClock()
        let port = configuration.http.port
        let (readyBeforeShutdown, shutdownTook) = try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // Wait (bounded) until every event was consumed and the instance reports ready. Alone
            // this takes seconds; under the whole suite on two cores the group can take minutes
            // to settle (heartbeats starve, members are evicted and rejoin), so the bound is wide.
            let waitStart = clock.now
            while clock.now - waitStart < .seconds(300) {
                // Readiness follows the progress report the observer copies, a moment after the
                // counters: wait for both within the same bound rather than race them.
                if let progress = runtime.view.latest, progress.caughtUp, progress.counters.messages == events.count,
                    runtime.context.readiness().ready
                { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let readiness = runtime.context.readiness()
            let ready = readiness.ready
            if !ready { print("shutdown test: not ready after \(clock.now - waitStart): \(readiness.reason)") }
            // The score feed reads the published changes back into the history (bounded wait).
            let feedStart = clock.now
            while runtime.history.usersKept == 0, clock.now - feedStart < .seconds(60) {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(runtime.history.usersKept > 0)
            #expect(!runtime.history.scores(on: "twitter").isEmpty)
            // The server of the group answers on the configured port, from the running pipeline.
            let readyz = TestSupport.get("/readyz", port: port)
            #expect(readyz?.status == 200, "\(readyz?.body ?? "no answer")")
            let board = TestSupport.get("/v1/leaderboard?limit=3", port: port)
            #expect(board?.status == 200)
            #expect(board?.body.contains("\"rank\":3") == true)
            let shutdownStart = clock.now
            await group.triggerGracefulShutdown()
            try await tasks.next()
            return (ready, clock.now - shutdownStart)
        }

        #expect(readyBeforeShutdown)
        #expect(runtime.processor.counters.messages == events.count)
        #expect(shutdownTook < configuration.shutdownTimeout)
        #expect(runtime.view.phase == .stopped)
        #expect(!runtime.context.readiness().ready)
        // The HTTP server stopped with the group.
        #expect(TestSupport.get("/healthz", port: port) == nil)
        let published = runtime.processor.counters.changesPublished
        #expect(published > 0)
        #expect(try count(configuration.kafka.outputTopic, brokers: brokers) == published)
    }
}
