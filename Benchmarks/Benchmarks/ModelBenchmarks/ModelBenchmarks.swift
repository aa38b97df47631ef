import Benchmark
import ResonanceModel

/// A state of `users` tracked users, each reshared once by another user, and a pool of
/// pre-decoded reactions among them.
struct Workload {
    var state: InfluenceState
    var reactions: [Reaction]

    /// With `skewed`, actors and targets follow a power law (user ⌊n·u³⌋ for uniform u: the top 1%
    /// of users receive about a fifth of all reactions), as on real networks; otherwise uniform,
    /// the worst case for caches.
    init(users: Int, reactions count: Int, skewed: Bool = false) {
        var state = try! InfluenceState(configuration: ModelConfiguration())
        let twitter = state.internNetwork(named: "twitter")!
        let actions = ["like", "reshare", "comment", "reply", "mention"].map { state.action(named: $0)! }
        var handles: [UserHandle] = []
        handles.reserveCapacity(users)
        for index in 0..<users { handles.append(state.intern(userID: "user-\(index)")!) }
        var random = SplitMix64(seed: 1)
        for index in 0..<users {
            let actor = handles[Int(random.next() % UInt64(users))]
            let reaction = Reaction(idHash: StableHash.fnv1a64("setup-\(index)"), time: 1_704_067_200_000 + Int64(index),
                                    network: twitter, action: actions[1], actor: actor, target: handles[index])
            _ = state.apply(.reaction(reaction)) { _ in nil }
        }
        self.state = state
        func pick() -> UserHandle {
            if !skewed { return handles[Int(random.next() % UInt64(users))] }
            let uniform = Double(random.next() >> 11) / Double(1 << 53)
            return handles[min(users - 1, Int(Double(users) * uniform * uniform * uniform))]
        }
        reactions = (0..<count).map { index in
            Reaction(idHash: 0, time: 1_704_067_200_000 + Int64(users) + Int64(index), network: twitter,
                     action: actions[Int(random.next() % 5)], actor: pick(), target: pick())
        }
    }
}


nonisolated(unsafe) var workload: Workload?
nonisolated(unsafe) var nextEventID: UInt64 = 1
/// A tiny state parked in the workload while a benchmark owns the real one.
nonisolated(unsafe) let placeholder: InfluenceState = {
    var small = ModelConfiguration()
    small.dedupeCapacity = 4
    small.undoCapacity = 4
    small.pairMemoryCapacity = 4
    return try! InfluenceState(configuration: small)
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.maxDuration = .seconds(10)
    Benchmark.defaultConfiguration.maxIterations = 20

    // One iteration applies 1,000,000 reactions (scalingFactor .mega) to a state of 1,000,000
    // tracked users; throughput is events per second, malloc counts are per 1,000,000 events.
    // Wall clock and user CPU are per reaction; on a busy machine compare CPU time.
    for skewed in [false, true] {
        Benchmark(
            "apply reaction, 1M users, \(skewed ? "power-law" : "uniform") targets",
            configuration: .init(
                metrics: [.wallClock, .cpuUser, .throughput, .mallocCountTotal, .peakMemoryResident],
                scalingFactor: .mega,
                setup: { workload = Workload(users: 1_000_000, reactions: 1_000_000, skewed: skewed) },
                teardown: { workload = nil }
            )
        ) { benchmark in
            // Take the state out of the workload so that it is uniquely referenced: no page is
            // copied on write during the measurement (that cost belongs to snapshots).
            var state = workload!.state
            workload!.state = placeholder
            let reactions = workload!.reactions
            // Events go to the model in batches, each read ahead from its start, as in the engine
            // (whose batches are the decoder's: about 5,000 lines in file mode).
            let batchSize = 4_096
            var previews = [InfluenceState.EventPreview](repeating: .none, count: batchSize)
            benchmark.startMeasurement()
            let firstID = nextEventID
            previews.withUnsafeMutableBufferPointer { previews in
                for batchStart in stride(from: 0, to: reactions.count, by: batchSize) {
                    let batch = batchStart..<Swift.min(batchStart + batchSize, reactions.count)
                    let batchPreviews = UnsafeMutableBufferPointer(rebasing: previews[0..<batch.count])
                    for index in batch {
                        var reaction = reactions[index]
                        reaction.idHash = firstID &+ UInt64(index)
                        batchPreviews[index - batchStart] = InfluenceState.EventPreview(.reaction(reaction))
                    }
                    for index in batch {
                        // What the engine does per event: read ahead on schedule (prefetching the
                        // lines of the events one to three runs ahead), then *Who* is the actor's
                        // standing as last published (read from its record), then the event is
                        // applied.
                        state.readAhead(batchPreviews, before: index - batchStart)
                        var reaction = reactions[index]
                        reaction.idHash = firstID &+ UInt64(index)
                        let who = state.publishedStanding(of: reaction.actor) ?? ActorStanding(score: 1)
                        blackHole(state.apply(.reaction(reaction), standing: { _ in who }))
                    }
                }
            }
            nextEventID = firstID &+ UInt64(reactions.count)
            benchmark.stopMeasurement()
            workload!.state = state
        }
    }

    // Control for the malloc counter: interning 1,000 new users must allocate (new pages, arena,
    // table growth), so a zero in the apply benchmarks is a measurement, not a dead counter.
    Benchmark(
        "control: intern 1,000 new users",
        configuration: .init(metrics: [.mallocCountTotal], maxIterations: 5)
    ) { benchmark in
        var state = try! InfluenceState(configuration: placeholder.configuration)
        for index in 0..<1_000 { blackHole(state.intern(userID: "new-\(index)")) }
    }

    // Reading scores: what the publisher does after each change.
    Benchmark(
        "score(of:), 1M users",
        configuration: .init(
            metrics: [.wallClock, .throughput, .mallocCountTotal],
            scalingFactor: .mega,
            setup: { workload = Workload(users: 1_000_000, reactions: 1_000_000) },
            teardown: { workload = nil }
        )
    ) { benchmark in
        let state = workload!.state
        let reactions = workload!.reactions
        benchmark.startMeasurement()
        for reaction in reactions { blackHole(state.score(of: reaction.target)) }
    }
}
