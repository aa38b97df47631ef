import Foundation
import ResonanceEngine
import ServiceLifecycle

/// Runs blocking work (librdkafka polls) on a thread of its own, never on the cooperative pool,
/// and turns graceful shutdown or task cancellation into its ``StopSignal``.
enum DedicatedThread {
    /// Runs `body` on a new thread named `name` and returns when it returns; `stop` is raised on
    /// graceful shutdown or cancellation, and `onStopRequested` is called first.
    static func run(
        name: String, stop: StopSignal, onStopRequested: @escaping @Sendable () -> Void = {},
        _ body: @escaping @Sendable () throws -> Void
    ) async throws {
        let request: @Sendable () -> Void = {
            onStopRequested()
            stop.raise()
        }
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let thread = Thread {
                        do {
                            try body()
                            continuation.resume()
                        } catch {
                            continuation.resume(throwing: error)
                        }
                    }
                    thread.name = name
                    thread.start()
                }
            } onCancel: {
                request()
            }
        } onGracefulShutdown: {
            request()
        }
    }
}
