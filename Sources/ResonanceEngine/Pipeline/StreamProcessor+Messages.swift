import ResonanceKafka

/// Messages from poll to state: queued on their partitions, applied on the lanes, their
/// rejections dead-lettered.
extension StreamProcessor {
    /// Partition `partition` if it is owned here.
    func owned(_ partition: Int32) -> OwnedPartition? {
        let index = Int(partition)
        return index >= 0 && index < partitions.count ? partitions[index] : nil
    }

    /// Messages polled and not yet applied, all partitions.
    var queuedCount: Int { partitions.reduce(0) { $0 + ($1?.queuedCount ?? 0) } }

    /// Queues a polled batch's messages on their partitions, in order, then records the partition
    /// ends it reported; with `skippingRebalanced`, partitions a rebalance touched during the
    /// latest poll are left out. Nothing is applied yet (``drainQueues(wallClock:)``).
    func enqueue(_ batch: KafkaMessageBatch, _ decoded: MessageDecodeStage.Batch?, skippingRebalanced: Bool = false) {
        let skipping = skippingRebalanced && !rebalanced.isEmpty ? rebalanced : []
        if let decoded {
            // Lanes read the outcomes without waiting (only one thread may wait on a batch). A
            // batch is kept in hand while the one before is applied, so it is decoded by now
            // unless it is a small one, polled when caught up.
            decoded.waitUntilDecoded()
            for position in batch.indices {
                let message = batch[position]
                if !skipping.isEmpty, skipping.contains(Int(message.partition)) { continue }
                guard let partition = owned(message.partition) else {
                    lanes.main.counters.messages += 1
                    logger.error("message from unassigned partition \(message.partition); skipped")
                    continue
                }
                partition.enqueue(decoded, position)
            }
        }
        let oneInputTopic = configuration.kafka.inputTopics.count == 1
        for end in batch.partitionEnds where !skipping.contains(Int(end.topicPartition.partition)) {
            ends.reached(end.topicPartition, at: end.offset)
            owned(end.topicPartition.partition)?.reachedEnd(
                of: end.topicPartition.topic, at: end.offset, in: decoded, oneInputTopic: oneInputTopic)
        }
    }

    /// Applies queued messages on the lanes (``PartitionLanes``), then logs the pass's rejections.
    func drainQueues(wallClock: Int64) {
        lanes.drain(partitions.compactMap { $0 }) { queued, partition, lane in
            process(queued.batch, queued.index, partition, lane: lane, wallClock: wallClock)
        }
        lanes.takeDeadLetters { rejection, source in
            deadLetterWarning.record(rejection, source: source, wallClock: wallClock, logger: logger)
        }
    }

    /// Applies message `position` of a batch to its (claimed) partition; false when the partition
    /// must wait for other partitions to close an epoch (nothing about the message has been
    /// applied: offer it again).
    private func process(
        _ batch: MessageDecodeStage.Batch, _ position: Int, _ partition: OwnedPartition, lane: Lane, wallClock: Int64
    ) -> Bool {
        let message = batch.messages[position]
        lane.counters.messages += 1
        // With one input topic its name needs no lookup per message.
        let topic = configuration.kafka.inputTopics.count == 1 ? configuration.kafka.inputTopics[0] : message.topic
        if let replayLimit = options.replayLimit, reachedLimit(replayLimit, batch, position) {
            // Only with one lane, on the processing thread (see `run`): this touches its state.
            let topicPartition = KafkaTopicPartition(topic: topic, partition: message.partition)
            lane.counters.messages -= 1
            if ends.stopAtLimit(topicPartition) {
                try? consumer?.pause([topicPartition])
                logger.info("\(topicPartition): replay limit reached at offset \(message.offset)")
                partition.stoppedReading(topic)
            }
            return true
        }
        let event: DecodedEvent
        switch batch.outcome(at: position) {
        case .event(let decoded):
            event = decoded
        case .rejected(let rejection):
            // The message is done (dead-lettered): a snapshot taken after it covers it.
            partition.nextOffsets[topic] = message.offset + 1
            output.deadLetter(message, rejection, through: lane)
            return true
        }
        let result = partition.processor.apply(
            event, standings: standings, wallClock: wallClock, emit: { change in output.publish(change, through: lane) },
            publish: { record in output.publishStandings(record, partition: message.partition, through: lane) })
        switch result {
        case .applied:
            lane.counters.countApplied(event.kind)
        case .rejected(let rejection):
            output.deadLetter(message, rejection, through: lane)
        case .waiting:
            lane.counters.messages -= 1
            return false
        }
        // The message is done (applied or dead-lettered): a snapshot taken after it covers it.
        partition.nextOffsets[topic] = message.offset + 1
        return true
    }

    private func reachedLimit(_ limit: ReplayLimit, _ batch: MessageDecodeStage.Batch, _ position: Int) -> Bool {
        let message = batch.messages[position]
        if ends.isStopped(partition: message.partition) { return true }
        if let offset = limit.offset, message.offset >= offset { return true }
        guard let time = limit.time else { return false }
        // The decoding thread's event when there is one, else the rejected message read again
        // for its time alone.
        let eventTime: Int64?
        if case .event(let event) = batch.outcome(at: position) {
            eventTime = event.time
        } else if let value = message.value {
            eventTime = try? limitDecoder.decode(value, key: nil).time
        } else {
            eventTime = nil
        }
        if let eventTime, eventTime > time { return true }
        return false
    }
}
