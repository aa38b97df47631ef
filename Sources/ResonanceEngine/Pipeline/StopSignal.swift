import Synchronization

/// A flag another thread (a signal handler, a test, the service lifecycle) raises to ask a
/// running pipeline to stop after the batch in flight.
public final class StopSignal: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    /// Asks the pipeline to stop.
    public func raise() {
        raised.store(true, ordering: .releasing)
    }

    /// Whether a stop was asked for.
    public var isRaised: Bool {
        raised.load(ordering: .acquiring)
    }
}
