import Synchronization

/// A value several threads update, for recording what callbacks saw.
final class Recorder<Value: Sendable>: Sendable {
    private let state: Mutex<Value>

    init(_ initial: Value) { state = Mutex(initial) }

    func update<Result>(_ body: (inout Value) -> Result) -> Result { state.withLock { body(&$0) } }

    var value: Value { state.withLock { $0 } }
}
