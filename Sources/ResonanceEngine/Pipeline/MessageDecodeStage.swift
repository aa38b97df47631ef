import Foundation
import ResonanceKafka
import Synchronization

/// Decodes each polled batch on a thread of its own while the processing thread applies it, so
/// that JSON decoding (about an eighth of a replay's processing-thread time) overlaps with the
/// model and publishing. The processing thread still polls (rebalance callbacks run inside its
/// polls) and still applies every message in order, each with the same bytes: results are
/// unchanged.
///
/// The handoff can be per message: ``Batch/outcome(at:)`` waits only until that message is
/// decoded, for a single reader. `StreamProcessor` lets several lanes read a batch's outcomes at
/// once, so it waits for the whole batch first (``Batch/waitUntilDecoded()``): a full batch is
/// decoded while the one before it is applied, and a small one (caught up) in well under a
/// millisecond, so the wait costs little.
final class MessageDecodeStage: @unchecked Sendable {
    /// One polled batch and what the decoder has made of its messages so far. Decoded events
    /// point into the batch's messages and into ``scratch`` (unescaped strings), so they stay
    /// valid for as long as this lives: a held message keeps its batch alive through it.
    final class Batch: @unchecked Sendable {
        let messages: KafkaMessageBatch
        /// Outcomes `0..<decoded` are written (by the decoding thread, before `decoded` moves past
        /// them) and never change again.
        private let outcomes: UnsafeMutablePointer<DecodeOutcome>
        private let scratch: UnsafeMutableRawPointer
        /// How many messages, from the first, are decoded.
        fileprivate let decoded = Atomic<Int>(0)
        /// While the processing thread sleeps on ``wakeUp``: the decoded count at which to wake it
        /// (a stretch past the message it waits for, so that it does not wait again at the next
        /// one); `Int.max` while nobody sleeps.
        private let wakeAt = Atomic<Int>(.max)
        private let wakeUp = NSCondition()

        init(_ messages: KafkaMessageBatch) {
            self.messages = messages
            outcomes = .allocate(capacity: max(messages.count, 1))
            // Unescaping never lengthens a string, so a message never needs more scratch than its
            // own size: message i unescapes into its own stretch and no two share bytes.
            var bytes = 0
            for message in messages { bytes += message.value?.count ?? 0 }
            scratch = .allocate(byteCount: max(bytes, 16), alignment: 16)
        }

        deinit {
            outcomes.deinitialize(count: decoded.load(ordering: .acquiring))
            outcomes.deallocate()
            scratch.deallocate()
        }

        /// Decodes every message in order, publishing each outcome as it is done.
        fileprivate func decodeAll(with decoder: EventDecoder) {
            var offset = 0
            for index in messages.indices {
                let message = messages[index]
                let outcome: DecodeOutcome
                if let value = message.value {
                    do {
                        outcome = .event(try decoder.decode(
                            value, key: message.key ?? UnsafeRawBufferPointer(start: nil, count: 0), scratch: scratch + offset))
                    } catch {
                        outcome = .rejected(error)
                    }
                    offset += value.count
                } else {
                    outcome = .rejected(EventRejection(.malformedJSON, "null value (a tombstone is not an event)"))
                }
                (outcomes + index).initialize(to: outcome)
                // Sequentially consistent, as is the waiter's store to `wakeAt` before it reads
                // `decoded`: one of the two sees the other's store, so a wake-up is never missed.
                decoded.store(index + 1, ordering: .sequentiallyConsistent)
                if index + 1 >= wakeAt.load(ordering: .sequentiallyConsistent) {
                    wakeUp.lock()
                    wakeUp.signal()
                    wakeUp.unlock()
                }
            }
        }

        /// The outcome of message `index`, waiting until it is decoded.
        func outcome(at index: Int) -> DecodeOutcome {
            var spins = 0
            while decoded.load(ordering: .acquiring) <= index {
                // The decoding thread is almost always ahead: a short spin covers most waits. When
                // it is not running (two cores shared with the broker), sleep until it is a stretch
                // ahead. Yielding in a loop instead cost 6% of the processing thread in system
                // calls during a Kafka replay, CPU the decoder and the broker needed.
                spins += 1
                if spins > 64 {
                    sleep(until: Swift.min(index + 256, messages.count))
                    break
                }
            }
            return outcomes[index]
        }

        /// Waits until every message is decoded: then ``outcome(at:)`` never waits, and several
        /// threads may read outcomes at once (only one may wait in it).
        func waitUntilDecoded() {
            guard !messages.isEmpty else { return }
            _ = outcome(at: messages.count - 1)
        }

        /// Sleeps until `count` messages are decoded.
        private func sleep(until count: Int) {
            wakeUp.lock()
            wakeAt.store(count, ordering: .sequentiallyConsistent)
            while decoded.load(ordering: .sequentiallyConsistent) < count { wakeUp.wait() }
            wakeAt.store(.max, ordering: .relaxed)
            wakeUp.unlock()
        }
    }

    private let decoder: EventDecoder
    private let queued = BatchHandoff<Batch>()

    init(limits: DecoderLimits) {
        decoder = EventDecoder(limits: limits)
    }

    /// Starts the decoding thread.
    func start() {
        let thread = Thread { [self] in
            while let batch = queued.take() { batch.decodeAll(with: decoder) }
        }
        thread.name = "resonance.decode"
        thread.start()
    }

    /// Queues a polled batch for decoding; its outcomes can be read at once (each read waits for
    /// its message).
    func submit(_ messages: KafkaMessageBatch) -> Batch {
        let batch = Batch(messages)
        queued.put(batch)
        return batch
    }

    /// Stops the decoding thread once the batches queued are decoded.
    func stop() {
        queued.close()
    }
}
