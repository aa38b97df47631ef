import CRdKafka
import Dispatch
import Foundation
import Synchronization

/// A dedicated thread that serves a producer's delivery reports by calling `rd_kafka_poll`
/// until stopped, so reports never wait for the application and never use the cooperative pool.
final class RDKafkaPollThread: Sendable {
    private let stopRequested = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init() {}

    func start(client: RDKafkaClient, name: String) {
        guard !started.exchange(true, ordering: .relaxed) else { return }
        let thread = Thread { [self] in
            while !stopRequested.load(ordering: .acquiring) {
                // Short enough that stopping is prompt; reports are served as soon as they arrive.
                rd_kafka_poll(client.handle, 100)
            }
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Stops the thread and waits for it (at most one poll interval). Idempotent.
    func stop() {
        guard started.load(ordering: .relaxed), !stopRequested.exchange(true, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
    }
}
