import Dispatch

/// A serial queue that runs a client's blocking librdkafka calls off Swift's cooperative thread
/// pool and hands results back to async callers.
///
/// Serial on purpose: calls from async code run one at a time in submission order, so a
/// `close()` waits for an in-flight poll instead of racing it.
struct BlockingWorker: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func run<Result: Sendable>(_ work: @escaping @Sendable () throws(KafkaError) -> Result) async throws(KafkaError) -> Result {
        let outcome: Swift.Result<Result, KafkaError> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Swift.Result { () throws(KafkaError) -> Result in try work() })
            }
        }
        return try outcome.get()
    }
}
