import ResonanceKafka

/// Partitions coming and going: the consumer's rebalance callbacks, called inside its polls on
/// the processing thread.
extension StreamProcessor {
    /// Called when partitions are assigned: makes their states (``PartitionRestorer``) and says
    /// where to start. Without durable state every partition is rebuilt from its beginning.
    func assign(_ assigned: [KafkaTopicPartition]) -> [KafkaTopicPartition: KafkaOffset] {
        markRebalanced(assigned)
        let started = ContinuousClock.now
        let new = Set(assigned.map { Int($0.partition) }).filter { $0 < partitions.count && partitions[$0] == nil }.sorted()
        for (index, prepared) in zip(new, restorer.prepare(new)) {
            install(prepared, at: index)
        }
        if !new.isEmpty {
            // What a takeover costs before the first event applies (scripts/bench-takeover).
            let seconds = String(format: "%.3f", started.duration(to: .now).seconds)
            logger.info("partition state ready for \(new.map(String.init).joined(separator: ",")) in \(seconds) s")
        }
        var offsets: [KafkaTopicPartition: KafkaOffset] = [:]
        for topicPartition in assigned {
            guard Int(topicPartition.partition) < partitions.count else {
                logger.error("assigned \(topicPartition), beyond the \(partitions.count) partitions seen at start; restart to pick it up")
                continue
            }
            let partition = owned(topicPartition.partition)
            let next = partition?.nextOffsets[topicPartition.topic]
            offsets[topicPartition] = next.map(KafkaOffset.exact) ?? .beginning
            ends.assigned(topicPartition)
            partition?.forgetEnd(of: topicPartition.topic)
            checkRetention(topicPartition, resumingAt: next ?? 0)
        }
        logger.info("assigned \(assigned.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }.map(\.description).joined(separator: " "))")
        return offsets
    }

    /// Called before partitions go to another instance: publishes what they hold back, writes
    /// their snapshots and drops their state (the next owner resumes from those snapshots).
    func revoke(_ revoked: [KafkaTopicPartition]) {
        markRebalanced(revoked)
        var leaving: [Int] = []
        for topicPartition in revoked {
            ends.revoked(topicPartition)
            let index = Int(topicPartition.partition)
            if owned(topicPartition.partition) != nil, !leaving.contains(index) { leaving.append(index) }
        }
        for index in leaving {
            partitions[index]!.processor.flushPending { change in output.publish(change, through: lanes.main) }
        }
        if !leaving.isEmpty {
            do {
                try output.flush(timeout: configuration.shutdownTimeout)
            } catch {
                logger.error("flushing before handing over partitions \(leaving.map(String.init).joined(separator: ",")): \(error.message)")
            }
            snapshots.writeNow(leaving, of: partitions)
        }
        for index in leaving {
            if backpressure.release(partition: index) == .resume {
                // librdkafka keeps its pause across an assignment: the next owner here must start
                // it unpaused.
                do {
                    try consumer?.resume(inputTopicPartitions(index))
                } catch {
                    logger.warning("resuming partition \(index) as it is revoked: \(error.message)")
                }
            }
            partitions[index] = nil
            snapshots.forget(index)
        }
        logger.info("revoked \(revoked.map(\.description).joined(separator: " "))")
    }

    /// Says loudly when the input no longer holds what a partition's state needs: its earliest
    /// retained offset is past where the state resumes (retention deleted events the state never
    /// saw). The partition still runs, on what is left, and stays marked incomplete
    /// (`resonance_state_incomplete`, `/readyz`) until its state covers the gap again.
    private func checkRetention(_ topicPartition: KafkaTopicPartition, resumingAt next: Int64) {
        guard let consumer else { return }
        let index = topicPartition.partition
        do {
            let earliest = try consumer.watermarks(for: topicPartition).low
            if let lost = InputEnds.lost(resumingAt: next, earliestRetained: earliest) {
                incomplete.insert(index)
                logger.error("partition \(index): its state is incomplete: \(topicPartition.topic) retains offsets from \(earliest), but the state resumes at \(next), so the \(lost.count) events at offsets \(lost.lowerBound)..<\(lost.upperBound) are lost to it (retention deleted them before a snapshot covered them)")
            } else {
                incomplete.remove(index)
            }
        } catch {
            logger.warning("partition \(index): cannot check what \(topicPartition.topic) retains: \(error.message)")
        }
    }

    /// Notes that a rebalance callback assigned or revoked `topicPartitions` during the current
    /// poll: the batch in hand drops their messages, which their owners read again from their
    /// snapshots.
    private func markRebalanced(_ topicPartitions: [KafkaTopicPartition]) {
        for topicPartition in topicPartitions where Int(topicPartition.partition) < partitions.count {
            rebalanced.insert(Int(topicPartition.partition))
        }
    }

    /// Makes a prepared state partition `index`'s.
    private func install(_ prepared: PartitionRestorer.Prepared, at index: Int) {
        switch prepared {
        case .restored(let processor, let snapshot, let path, let source):
            let partition = OwnedPartition(processor: processor, nextOffsets: snapshot.nextOffsets)
            partitions[index] = partition
            snapshots.installed(index, partition, restored: snapshot)
            restores[source, default: 0] += 1
            let origin = source == .stateTopic ? " (fetched from the state topic)" : ""
            logger.info("partition \(index): restored \(snapshot.state.trackedUserCount) users from \(path)\(origin), resuming at \(snapshot.nextOffsets.sorted { $0.key < $1.key }.map { "\($0.key)@\($0.value)" }.joined(separator: " "))")
        case .empty(let processor):
            let partition = OwnedPartition(processor: processor, nextOffsets: [:])
            partitions[index] = partition
            snapshots.installed(index, partition, restored: nil)
            restores[.rebuilt, default: 0] += 1
        case .failed(let error):
            logger.critical("cannot create state for partition \(index): \(error)")
        }
    }
}
