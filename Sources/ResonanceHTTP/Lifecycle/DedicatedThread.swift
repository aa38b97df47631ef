import Foundation
import ResonanceEngine
import ServiceLifecycle
import Synchronization

/// Runs blocking work (librdkafka polls) on a thread of its own, never on the cooperative pool,
/// and turns graceful shutdown or task cancellation into its ``StopSignal``.
///
/// Graceful shutdown waits for the work to return. Cancellation (the group gave up on a graceful
/// shutdown, or another service failed) waits at most `cancellationGrace` and then returns
/// anyway: a thread blocked in a C call cannot be interrupted, and the process must still exit.
enum DedicatedThread {
    /// Runs `body` on a new thread named `name` and returns when it returns (or, once cancelled,
    /// after `cancellationGrace`); `stop` is raised on graceful shutdown or cancellation, and
    /// `onStopRequested` is called first.
    static func run(
        name: String, stop: StopSignal, cancellationGrace: Duration,
        onStopRequested: @escaping @Sendable () -> Void = {},
        _ body: @escaping @Sendable () throws -> Void
    ) async throws {
        let outcome = Outcome()
        let request: @Sendable () -> Void = {
            onStopRequested()
            stop.raise()
        }
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    guard outcome.install(continuation) else { return }
                    let thread = Thread {
                        do {
                            try body()
                            outcome.finish(.success(()))
                        } catch {
                            outcome.finish(.failure(error))
                        }
                    }
                    thread.name = name
                    thread.start()
                }
            } onCancel: {
                request()
                let grace = Int(cancellationGrace.components.seconds * 1000
                    + cancellationGrace.components.attoseconds / 1_000_000_000_000_000)
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(grace)) {
                    outcome.finish(.failure(CancellationError()))
                }
            }
        } onGracefulShutdown: {
            request()
        }
    }

    /// Resumes the waiting task exactly once: with the thread's result, or with
    /// `CancellationError` when the grace after cancellation ran out first.
    private final class Outcome: Sendable {
        private enum State {
            case idle
            case waiting(CheckedContinuation<Void, any Error>)
            case finished(Result<Void, any Error>)
            case resumed
        }

        private let state = Mutex(State.idle)

        /// Installs the continuation; `false` (after resuming it) when the outcome is already
        /// known, so no thread is started.
        func install(_ continuation: CheckedContinuation<Void, any Error>) -> Bool {
            let early: Result<Void, any Error>? = state.withLock { state in
                if case .finished(let result) = state {
                    state = .resumed
                    return result
                }
                state = .waiting(continuation)
                return nil
            }
            if let early {
                continuation.resume(with: early)
                return false
            }
            return true
        }

        func finish(_ result: Result<Void, any Error>) {
            let continuation: CheckedContinuation<Void, any Error>? = state.withLock { state in
                switch state {
                case .idle:
                    state = .finished(result)
                    return nil
                case .waiting(let continuation):
                    state = .resumed
                    return continuation
                case .finished, .resumed:
                    return nil
                }
            }
            continuation?.resume(with: result)
        }
    }
}
