import ResonanceKafka
import Synchronization

/// A polled message kept until it is applied: its batch stays alive (and with it the message's
/// bytes, which librdkafka owns, and its decoded event) until every message queued from it is
/// done. No copy, no allocation.
struct QueuedMessage {
    let batch: MessageDecodeStage.Batch
    let index: Int
    var message: KafkaMessage { batch.messages[index] }
}

/// A partition owned by this instance: its processor, the messages polled for it and not yet
/// applied (in order: one that must wait for other partitions to close an epoch stops the ones
/// behind it), the offsets its state covers, and which input topics it has read to their end.
///
/// A class, so that a lane works on it through a reference while the list of partitions is only
/// read; a lane claims it first, so that one lane at a time touches it. Everything else is touched
/// by the processing thread between passes.
final class OwnedPartition: @unchecked Sendable {
    var processor: PartitionProcessor
    private(set) var queue: [QueuedMessage] = []
    private(set) var queueHead = 0
    /// The next offset to read in each input topic (what a snapshot covers).
    var nextOffsets: [String: Int64]
    /// The input topics whose end this partition has reached, with the offset of that end, and no
    /// message at or after it since. All of them: the partition is idle, and closes epochs
    /// without events.
    private(set) var topicsAtEnd: [String: Int64] = [:]
    private let claimed = Atomic<Bool>(false)

    init(processor: PartitionProcessor, nextOffsets: [String: Int64]) {
        self.processor = processor
        self.nextOffsets = nextOffsets
    }

    /// Messages polled and not yet applied.
    var queuedCount: Int { queue.count - queueHead }

    /// The last standings epoch this partition has closed. (Read through the stored property: a
    /// copy of the processor would go field by field through its value witness, as it is
    /// address-only.)
    var closedThrough: Int64 { processor.state.standingsClosedThrough }

    /// Takes the partition for the calling lane; false when another lane has it. Acquiring: what
    /// the last lane wrote to it is seen.
    func claim() -> Bool {
        claimed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }

    /// Gives the partition back (releasing: the next lane to claim it sees these writes).
    func release() {
        claimed.store(false, ordering: .releasing)
    }

    /// Queues message `index` of `batch`, after noting that its topic has input again.
    func enqueue(_ batch: MessageDecodeStage.Batch, _ index: Int) {
        noteArrival(batch.messages[index])
        queue.append(QueuedMessage(batch: batch, index: index))
    }

    /// Applies queued messages in order with `apply` until it returns false (the message must
    /// wait; it stays at the head) or none is left; returns how many were applied.
    func applyQueued(_ apply: (QueuedMessage) -> Bool) -> Int {
        var applied = 0
        while queueHead < queue.count {
            guard apply(queue[queueHead]) else { break }
            queueHead += 1
            applied += 1
        }
        if applied > 0 { compactQueue() }
        return applied
    }

    /// Drops applied messages from the front of the queue (and the batches they kept).
    private func compactQueue() {
        if queueHead == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
        } else if queueHead > 4096, queueHead * 2 > queue.count {
            queue.removeFirst(queueHead)
            queueHead = 0
        }
    }

    /// A message past the end its topic reached means the partition has input again (not idle).
    /// Noted when a message is queued, and when a batch is kept in hand, so that no partition is
    /// closed as idle while its messages wait.
    func noteArrival(_ message: KafkaMessage) {
        guard !topicsAtEnd.isEmpty, let end = topicsAtEnd[message.topic], message.offset >= end else { return }
        topicsAtEnd[message.topic] = nil
    }

    /// Records that `topic` reported its end at `offset` in a poll whose messages were decoded as
    /// `batch`. The batch lists its ends apart from its messages, so a message polled after the
    /// end (an end reported early, as Tansu's can be) was queued before the end was seen: then
    /// the partition has input past it, and is not idle. Messages are queued in offset order per
    /// topic, so the partition's newest message of the topic from this batch decides.
    func reachedEnd(of topic: String, at offset: Int64, in batch: MessageDecodeStage.Batch?, oneInputTopic: Bool) {
        topicsAtEnd[topic] = offset
        guard let batch else { return }
        var position = queue.count - 1
        while position >= queueHead, queue[position].batch === batch {
            let message = queue[position].message
            if oneInputTopic || message.topic == topic {
                if message.offset >= offset { topicsAtEnd[topic] = nil }
                return
            }
            position -= 1
        }
    }

    /// Marks `topic` as stopped for good (a replay limit): it counts as at its end.
    func stoppedReading(_ topic: String) {
        topicsAtEnd[topic] = .max
    }

    /// Forgets what is known of `topic`'s end (it was assigned again: its end is read anew).
    func forgetEnd(of topic: String) {
        topicsAtEnd[topic] = nil
    }

    /// Whether every one of the `inputTopicCount` input topics is at its end and nothing waits.
    func isIdle(inputTopicCount: Int) -> Bool {
        topicsAtEnd.count == inputTopicCount && queuedCount == 0
    }
}
