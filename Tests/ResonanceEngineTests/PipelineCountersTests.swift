import ResonanceEngine
import Testing

@Suite("Pipeline counters")
struct PipelineCountersTests {
    @Test("events counted by kind read back by kind, as a dictionary of the kinds seen, and in the total")
    func appliedByKind() {
        var counters = PipelineCounters()
        #expect(counters.applied.isEmpty)
        counters.countApplied(.reaction)
        counters.countApplied(.reaction)
        counters.countApplied(.erase)
        #expect(counters.applied == [.reaction: 2, .erase: 1])
        #expect(counters.appliedTotal == 3)
        // Writing through the dictionary view (as the file scorer folds its counts in).
        counters.applied[.post, default: 0] += 5
        counters.applied[.reaction] = nil
        #expect(counters.applied == [.post: 5, .erase: 1])
        #expect(counters.appliedTotal == 6)
        var same = PipelineCounters()
        same.applied = [.erase: 1, .post: 5]
        #expect(same == counters)
    }
}
