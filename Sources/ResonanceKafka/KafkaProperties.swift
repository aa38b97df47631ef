/// The one place where Resonance's configuration structs become librdkafka property strings.
enum KafkaProperties {
    static func client(_ configuration: ClientConfiguration) -> [(String, String)] {
        [
            ("bootstrap.servers", configuration.bootstrapServers.joined(separator: ",")),
            ("client.id", configuration.clientID),
            // KIP-714 client metrics, pushed to brokers that ask for them. librdkafka 2.8.0 waits
            // for the last push when a client is destroyed, and the wait misses its wake-up about
            // one time in ten and then lasts its full second (rd_kafka_telemetry_await_termination;
            // reproduced against the local broker with librdkafka alone). A replay creates and
            // destroys an admin client and two followers: a second each, every time it happened.
            // Resonance reports its own metrics; `enable.metrics.push=true` in the pass-through
            // properties turns the push back on.
            ("enable.metrics.push", "false"),
        ]
    }

    static func consumer(_ configuration: ConsumerConfiguration) -> [(String, String)] {
        var properties = client(configuration.client)
        // librdkafka needs a group id even for assign-only consumers (its consumer queue and
        // rd_kafka_assign live in the group object); a private one never joins or commits
        // unless asked to.
        let groupID = configuration.groupID ?? "resonance-unjoined-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
        properties.append(("group.id", groupID))
        let fetch = configuration.fetch
        properties += [
            ("partition.assignment.strategy", configuration.assignmentStrategy.rawValue),
            ("session.timeout.ms", String(configuration.sessionTimeout.wholeMilliseconds)),
            ("heartbeat.interval.ms", String(configuration.heartbeatInterval.wholeMilliseconds)),
            ("max.poll.interval.ms", String(configuration.maxPollInterval.wholeMilliseconds)),
            ("auto.offset.reset", configuration.offsetReset.rawValue),
            ("enable.auto.commit", String(configuration.enableAutoCommit)),
            ("enable.auto.offset.store", String(configuration.enableAutoOffsetStore)),
            ("enable.partition.eof", String(configuration.enablePartitionEOF)),
            ("fetch.max.bytes", String(fetch.maxBytes)),
            ("max.partition.fetch.bytes", String(fetch.maxPartitionBytes)),
            ("fetch.wait.max.ms", String(fetch.maxWait.wholeMilliseconds)),
            ("queued.min.messages", String(fetch.queuedMinMessages)),
            ("queued.max.messages.kbytes", String(fetch.queuedMaxKilobytes)),
            ("fetch.queue.backoff.ms", String(fetch.queueBackoff.wholeMilliseconds)),
            // A consumer never creates topics by subscribing: a typo must be an error.
            ("allow.auto.create.topics", "false"),
        ]
        return properties + additional(configuration.client)
    }

    static func producer(_ configuration: ProducerConfiguration) -> [(String, String)] {
        client(configuration.client) + [
            ("enable.idempotence", String(configuration.enableIdempotence)),
            ("partitioner", configuration.partitioner.rawValue),
            ("linger.ms", String(configuration.linger.wholeMilliseconds)),
            ("batch.size", String(configuration.batchBytes)),
            ("compression.codec", configuration.compression.rawValue),
            ("message.timeout.ms", String(configuration.messageTimeout.wholeMilliseconds)),
            ("queue.buffering.max.messages", String(configuration.queueMaxMessages)),
            ("queue.buffering.max.kbytes", String(configuration.queueMaxKilobytes)),
            // An auto-created topic gets the broker's default partition count, which silently
            // breaks co-partitioning with the input: topics are created explicitly instead.
            ("allow.auto.create.topics", "false"),
        ] + additional(configuration.client)
    }

    static func admin(_ configuration: AdminConfiguration) -> [(String, String)] {
        client(configuration.client) + additional(configuration.client)
    }

    /// Pass-through properties go last so they can override anything mapped above; sorted so
    /// errors and logs come out in the same order every run.
    private static func additional(_ configuration: ClientConfiguration) -> [(String, String)] {
        configuration.additionalProperties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
