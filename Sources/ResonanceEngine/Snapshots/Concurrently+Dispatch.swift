import Dispatch
import ResonanceModel

extension Concurrently {
    /// Runs the work on a thread of Dispatch's global pool: a restore decodes the user records
    /// there while its own thread decodes the rest.
    static let onAnotherThread = Concurrently { work in
        let completion = Completion()
        DispatchQueue.global().async {
            work()
            completion.done.signal()
        }
        return { completion.wait() }
    }
}

/// The end of one piece of work, waited for once by the thread that started it.
private final class Completion: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    /// Read and written by the starting thread only.
    private var waited = false

    func wait() {
        guard !waited else { return }
        waited = true
        done.wait()
    }
}
