import ResonanceEngine
import ResonanceModel
import Testing

/// *Who* across partitions (docs/DESIGN.md, "Deterministic Who"): standings by epoch, the close
/// barrier, and results that do not depend on how the partitions' work interleaves.
@Suite("Standings and the epoch barrier")
struct StandingsTests {
    static let day: Int64 = 86_400_000
    static let start: Int64 = 1_700_006_400_000  // 2023-11-15 00:00 UTC, a day boundary
    static let wallClock = start + 400 * day

    static func update(_ epoch: Int64, _ score: Double?, previous: (Int64, Double)? = nil) -> InfluenceState.StandingUpdate {
        InfluenceState.StandingUpdate(
            epoch: epoch, standing: score.map { ActorStanding(score: $0) },
            previous: previous.map { ($0.0, ActorStanding(score: $0.1)) })
    }

    static func record(_ table: StandingsTable, _ user: String, _ update: InfluenceState.StandingUpdate) {
        var copy = user
        copy.withUTF8 { table.record(user: UnsafeRawBufferPointer($0), update) }
    }

    @Test("a standing is read as of an epoch: the version valid at its end, unknown before the first, nil once erased")
    func versions() {
        let table = StandingsTable(partitionCount: 1)
        Self.record(table, "ada", Self.update(10, 30))
        Self.record(table, "ada", Self.update(12, 45, previous: (10, 30)))
        Self.record(table, "ada", Self.update(15, nil))
        #expect(table.standing(of: "ada", asOf: 9) == nil)
        #expect(table.standing(of: "ada", asOf: 10)?.score == 30)
        #expect(table.standing(of: "ada", asOf: 11)?.score == 30)
        #expect(table.standing(of: "ada", asOf: 14)?.score == 45)
        #expect(table.standing(of: "ada", asOf: 15) == nil)
        #expect(table.standing(of: "nobody", asOf: 15) == nil)
        #expect(table.gaps == 0)
    }

    @Test("versions below the floor are pruned to the newest one at or below it; asking below it is a counted gap")
    func pruning() {
        let table = StandingsTable(partitionCount: 2)
        table.setLocalFloor(20)
        table.markClosed(partition: 0, through: 20, durable: 20)
        table.markClosed(partition: 1, through: 20, durable: 18)
        // Floor: min(local 20, durable 18) = 18.
        Self.record(table, "ada", Self.update(10, 30))
        Self.record(table, "ada", Self.update(17, 40, previous: (10, 30)))
        Self.record(table, "ada", Self.update(19, 50, previous: (17, 40)))
        #expect(table.standing(of: "ada", asOf: 18)?.score == 40)
        #expect(table.standing(of: "ada", asOf: 19)?.score == 50)
        #expect(table.gaps == 0)
        #expect(table.standing(of: "ada", asOf: 12) == nil)
        #expect(table.gaps == 1, "epoch 10's version was pruned (below the floor, superseded by 17)")
    }

    @Test("reads are final only once every partition has closed the epoch")
    func barrier() {
        let table = StandingsTable(partitionCount: 3)
        #expect(!table.allClosed(through: 5))
        table.markClosed(partition: 0, through: 7, durable: .min)
        table.markClosed(partition: 1, through: 5, durable: .min)
        #expect(!table.allClosed(through: 5))
        table.markClosed(partition: 2, through: 6, durable: .min)
        #expect(table.allClosed(through: 5))
        #expect(!table.allClosed(through: 6))
        table.markClosed(partition: 1, through: 4, durable: .min)  // a restored partition closes again
        #expect(table.allClosed(through: 5), "closes only move forward")
    }

    /// Two partitions' events: on day 0 `star` (partition A) is reshared by 40 people; on day 1
    /// `star` reshares `fan` (partition B) and an unknown account reshares `control` (also B).
    /// Padding events on every day keep both partitions moving through the epochs.
    static func world() -> (events: [[EncodedEvent]], star: String, fan: String, control: String) {
        func partition(_ user: String) -> Int {
            var copy = user
            return Int(copy.withUTF8 { KafkaPartitioner.partition(of: UnsafeRawBufferPointer($0), count: 2) })
        }
        func first(_ prefix: String, in wanted: Int) -> String {
            (0...).lazy.map { "\(prefix)\($0)" }.first { partition($0) == wanted }!
        }
        let star = first("star", in: 0)
        let fan = first("fan", in: 1)
        let control = first("control", in: 1)
        var events: [[EncodedEvent]] = [[], []]
        func add(_ event: EncodedEvent, about user: String) { events[partition(user)].append(event) }
        var id = 0
        func next() -> String { id += 1; return "e\(id)" }
        for index in 0..<40 {
            add(EventJSON.reaction(id: next(), network: "twitter", time: start + Int64(index) * 60_000, action: "reshare",
                                   actor: "p\(index)", target: star), about: star)
        }
        for day in 0..<4 {
            for user in ["padA", "padB"] {
                let padding = first(user, in: user == "padA" ? 0 : 1)
                add(EventJSON.reaction(id: next(), network: "twitter", time: start + Int64(day) * Self.day + 3_600_000,
                                       action: "like", actor: "someone", target: padding), about: padding)
            }
        }
        add(EventJSON.reaction(id: next(), network: "twitter", time: start + Self.day + 7_200_000, action: "reshare",
                               actor: star, target: fan), about: fan)
        add(EventJSON.reaction(id: next(), network: "twitter", time: start + Self.day + 7_200_000, action: "reshare",
                               actor: "nobody", target: control), about: control)
        for index in events.indices {
            events[index].sort { $0.time < $1.time }
        }
        return (events, star, fan, control)
    }

    /// Feeds both partitions, choosing which one goes next with `seed`, holding an event back
    /// (and trying the other partition) whenever its partition must wait, as the stream processor
    /// does; at the end closes both for good. Returns the two processors.
    static func run(_ events: [[EncodedEvent]], seed: UInt64) throws -> [PartitionProcessor] {
        let table = StandingsTable(partitionCount: 2)
        var configuration = ModelConfiguration()
        configuration.dedupeCapacity = 4096
        configuration.undoCapacity = 1024
        configuration.pairMemoryCapacity = 4096
        var processors = try (0..<2).map { try PartitionProcessor(partition: Int32($0), configuration: configuration) }
        var positions = [0, 0]
        var random = seed  // a 64-bit LCG: enough to vary the order, the same in every run
        let decoder = EventDecoder()
        var waits = 0
        while positions[0] < events[0].count || positions[1] < events[1].count {
            var order = [0, 1]
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            if random >> 63 == 1 { order.reverse() }
            var progressed = false
            for index in order where positions[index] < events[index].count {
                let event = events[index][positions[index]]
                let result = try event.value.withUnsafeBytes { bytes in
                    try event.key.withUnsafeBytes { key in
                        processors[index].apply(try decoder.decode(bytes, key: key), standings: table, wallClock: wallClock, emit: { _ in })
                    }
                }
                switch result {
                case .applied:
                    positions[index] += 1
                    progressed = true
                case .rejected(let rejection):
                    Issue.record("rejected: \(rejection)")
                    positions[index] += 1
                case .waiting:
                    waits += 1
                    // The other partition is behind; if it has nothing left, it ends.
                    let other = 1 - index
                    if positions[other] == events[other].count {
                        processors[other].closeStandings(through: StandingsTable.endOfInput, standings: table) { _ in }
                    }
                }
                if progressed { break }
            }
        }
        for index in 0..<2 {
            processors[index].closeStandings(through: StandingsTable.endOfInput, standings: table) { _ in }
        }
        #expect(waits > 0, "the interleaving made a partition wait at least once")
        return processors
    }

    @Test("two partitions end bit-identical however their work interleaves, and Who crosses partitions")
    func interleavings() throws {
        let world = Self.world()
        let reference = try Self.run(world.events, seed: 1)
        for seed: UInt64 in [2, 3, 4, 5] {
            let other = try Self.run(world.events, seed: seed)
            for index in 0..<2 {
                #expect(other[index].state.serializedBytes() == reference[index].state.serializedBytes(), "seed \(seed), partition \(index)")
            }
        }
        // The star's reshare (read from partition 0's day-0 standing) outweighs the unknown account's.
        let partitionB = reference[1].state
        let fan = try #require(partitionB.handle(of: world.fan))
        let control = try #require(partitionB.handle(of: world.control))
        let at = Self.start + 2 * Self.day
        #expect(partitionB.score(of: fan, at: at) > partitionB.score(of: control, at: at) + 10)
    }
}
