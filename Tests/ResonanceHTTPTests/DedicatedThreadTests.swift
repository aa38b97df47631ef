import Foundation
import ResonanceEngine
import Testing

@testable import ResonanceHTTP

/// The bridge from a blocking thread to a service's `run()`: results and errors pass through,
/// and cancellation raises the stop signal and does not wait forever for a blocked thread.
@Suite struct DedicatedThreadTests {
    struct Failure: Error, Equatable {}

    @Test func returnsWhatTheThreadReturns() async throws {
        let ran = StopSignal()
        try await DedicatedThread.run(name: "test.returns", stop: StopSignal(), cancellationGrace: .seconds(5)) {
            #expect(!Thread.isMainThread)
            ran.raise()
        }
        #expect(ran.isRaised)
        await #expect(throws: Failure.self) {
            try await DedicatedThread.run(name: "test.throws", stop: StopSignal(), cancellationGrace: .seconds(5)) {
                throw Failure()
            }
        }
    }

    @Test func cancellationRaisesStopAndGivesUpOnABlockedThread() async throws {
        let stop = StopSignal()
        let release = DispatchSemaphore(value: 0)
        let task = Task {
            try await DedicatedThread.run(name: "test.blocked", stop: stop, cancellationGrace: .milliseconds(200)) {
                // Blocked in a call that ignores the stop signal, like a C call would.
                release.wait()
            }
        }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(stop.isRaised)
        release.signal()
    }

    @Test func cancellationWaitsForAThreadThatStopsInTime() async throws {
        let stop = StopSignal()
        let finished = StopSignal()
        let task = Task {
            try await DedicatedThread.run(name: "test.stops", stop: stop, cancellationGrace: .seconds(60)) {
                while !stop.isRaised { Thread.sleep(forTimeInterval: 0.01) }
                finished.raise()
            }
        }
        task.cancel()
        try await task.value
        #expect(finished.isRaised)
    }
}
