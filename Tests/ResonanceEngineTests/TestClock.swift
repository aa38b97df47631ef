import ResonanceEngine
import Synchronization

/// A wall clock the test moves by hand.
final class TestClock: Sendable {
    private let millis = Atomic<Int64>(1_700_000_000_000)

    var now: Int64 { millis.load(ordering: .relaxed) }

    func advance(milliseconds: Int64) {
        millis.add(milliseconds, ordering: .relaxed)
    }

    var wallClock: WallClock {
        WallClock { [self] in now }
    }
}
