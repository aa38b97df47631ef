import Foundation
import ResonanceEngine
import ResonanceModel
import Testing
import ResonanceTestSupport

@Suite("Publishing score changes")
struct PartitionProcessorTests {
    static let day: Int64 = 86_400_000
    static let hour: Int64 = 3_600_000
    static let start: Int64 = 1_600_000_000_000

    /// Wall-clock milliseconds `offset` after a fixed instant (later than every event time here).
    func wall(_ offset: Int64) -> Int64 { 1_700_000_000_000 + offset }

    func publishing(step: Double, interval: Duration) -> PublishingOptions {
        var publishing = PublishingOptions()
        publishing.step = step
        publishing.minimumInterval = interval
        return publishing
    }

    func feeder(step: Double = 0.1, interval: Duration = .seconds(1)) throws -> EventFeeder {
        EventFeeder(processor: try PartitionProcessor(
            partition: 3, configuration: ModelConfiguration(), publishing: publishing(step: step, interval: interval)))
    }

    /// `count` distinct fans reshare `target` in the partition's first milliseconds (event ids
    /// 0..<count).
    func fans(_ count: Int, reshare target: String, into feeder: EventFeeder) {
        for index in 0..<count {
            feeder.apply(reshare(index, actor: "fan\(index)", target: target, at: Self.start + Int64(index)), wallClock: wall(1_000 + Int64(index)))
        }
    }

    func reshare(_ id: Int, actor: String, target: String, at time: Int64) -> EncodedEvent {
        EventJSON.reaction(id: "e\(id)", network: "twitter", time: time, action: "reshare", actor: actor, target: target)
    }

    @Test("the first reaction publishes the user's score with previous 0, version and partition")
    func firstChangeIsPublished() throws {
        let feeder = try feeder()
        feeder.apply(reshare(1, actor: "a", target: "bob", at: Self.start), wallClock: wall(1_000))
        let changes = feeder.changes(for: "bob")
        #expect(changes.count == 1)
        let change = try #require(changes.first)
        #expect(change.previous == 0)
        #expect((change.card?.score ?? 0) > 1)
        #expect(change.version == 1)
        #expect(change.partition == 3)
        #expect(change.time == Self.start)
        #expect(feeder.rejections.isEmpty)
    }

    @Test("within the interval a change is held back, then published once with the latest value")
    func intervalHoldsBackAndKeepsLatest() throws {
        let feeder = try feeder(interval: .seconds(10))
        feeder.apply(reshare(1, actor: "a1", target: "bob", at: Self.start), wallClock: wall(1_000))
        for index in 2...20 {
            feeder.apply(reshare(index, actor: "a\(index)", target: "bob", at: Self.start + Int64(index)), wallClock: wall(2_000))
        }
        #expect(feeder.changes(for: "bob").count == 1, "held back during the interval")
        #expect(feeder.processor.pendingCount == 1)
        feeder.tick(wallClock: wall(10_999))
        #expect(feeder.changes(for: "bob").count == 1, "the interval has not ended")
        feeder.tick(wallClock: wall(11_000))
        let changes = feeder.changes(for: "bob")
        #expect(changes.count == 2)
        let latest = feeder.processor.state.score(of: try #require(feeder.processor.state.handle(of: "bob")))
        #expect(abs((changes[1].card?.score ?? 0) - latest) < 1e-9, "the latest value, not an intermediate one")
        #expect(changes[1].previous == Double(Float(changes[0].card!.score)))
        #expect(changes[1].version > changes[0].version)
    }

    @Test("pending changes are published at shutdown")
    func flushPublishesPending() throws {
        let feeder = try feeder(interval: .seconds(3600))
        feeder.apply(reshare(1, actor: "a1", target: "bob", at: Self.start), wallClock: wall(1_000))
        feeder.apply(reshare(2, actor: "a2", target: "bob", at: Self.start + 1), wallClock: wall(1_001))
        #expect(feeder.changes(for: "bob").count == 1)
        feeder.flush()
        #expect(feeder.changes(for: "bob").count == 2)
        #expect(feeder.processor.pendingCount == 0)
    }

    @Test("a move smaller than the step is not published")
    func stepFiltersSmallMoves() throws {
        let feeder = try feeder(step: 50, interval: .zero)
        feeder.apply(reshare(1, actor: "a1", target: "bob", at: Self.start), wallClock: wall(1_000))
        feeder.apply(reshare(2, actor: "a2", target: "bob", at: Self.start + 1), wallClock: wall(2_000))
        // The first change moves from 0 past 1 (≥ any step up to 1), a second small one does not.
        let changes = feeder.changes(for: "bob")
        #expect(changes.count <= 1)
    }

    @Test("decay alone publishes changes as the partition's event time moves on")
    func decayOnlyChangesArePublished() throws {
        let feeder = try feeder(step: 0.5, interval: .zero)
        fans(30, reshare: "bob", into: feeder)
        feeder.tick(wallClock: wall(2_000))
        let before = feeder.changes(for: "bob").count
        let published = try #require(feeder.changes(for: "bob").last?.card?.score)
        // Another user's event 60 days later moves the watermark; bob had no event.
        feeder.apply(reshare(100, actor: "x", target: "carol", at: Self.start + 60 * Self.day), wallClock: wall(3_000))
        feeder.tick(wallClock: wall(3_000))
        let after = feeder.changes(for: "bob")
        #expect(after.count == before + 1)
        let decayed = try #require(after.last)
        #expect((decayed.card?.score ?? 100) < published - 0.5)
        #expect(decayed.time == Self.start + 60 * Self.day)
        let bob = try #require(feeder.processor.state.handle(of: "bob"))
        #expect(abs((decayed.card?.score ?? 0) - feeder.processor.state.score(of: bob)) < 1e-9)
    }

    @Test("a rise smaller than the step keeps the earlier decay crossing, which is looked at again when due")
    func crossingKeptAfterRiseIsRechecked() throws {
        let step = 0.5
        let feeder = try feeder(step: step, interval: .zero)
        fans(20, reshare: "bob", into: feeder)
        let bob = try #require(feeder.processor.state.handle(of: "bob"))
        let before = feeder.changes(for: "bob")
        let published = Double(Float(try #require(before.last?.card?.score)))
        let earlyCrossing = try #require(feeder.processor.state.nextDecayCrossing(of: bob, below: published - step))

        // One more fan's like an hour later (the same day: no new active day) lifts bob by less
        // than the step: nothing is published, and the real crossing is now later than the one
        // located before.
        let like = EventJSON.reaction(
            id: "e100", network: "twitter", time: Self.start + Self.hour, action: "like", actor: "late-fan", target: "bob")
        feeder.apply(like, wallClock: wall(2_000))
        try #require(feeder.changes(for: "bob").count == before.count, "the rise must stay below the step for this test")
        let crossing = try #require(feeder.processor.state.nextDecayCrossing(of: bob, below: published - step))
        try #require(crossing > earlyCrossing + Self.day)

        // Past the early crossing, before the real one: bob has not fallen a step, nothing is sent.
        feeder.apply(reshare(101, actor: "x", target: "carol", at: (earlyCrossing + crossing) / 2), wallClock: wall(3_000))
        feeder.tick(wallClock: wall(3_000))
        #expect(feeder.changes(for: "bob").count == before.count)

        // Past the real one: exactly one change, a step below what was published.
        feeder.apply(reshare(102, actor: "y", target: "carol", at: crossing + Self.day), wallClock: wall(4_000))
        feeder.tick(wallClock: wall(4_000))
        let after = feeder.changes(for: "bob")
        #expect(after.count == before.count + 1)
        let decayed = try #require(after.last?.card?.score)
        #expect(decayed < published - step)
        #expect(abs(decayed - feeder.processor.state.score(of: bob)) < 1e-9)
    }

    @Test("after a restore, a user who stays quiet still has their decay published")
    func restoredQuietUserStillDecays() throws {
        let step = 0.5
        let feeder = try feeder(step: step, interval: .zero)
        fans(30, reshare: "bob", into: feeder)
        let published = Double(Float(try #require(feeder.changes(for: "bob").last?.card?.score)))

        // A restart: the publishing schedule is not in the snapshot.
        let restored = EventFeeder(processor: PartitionProcessor(
            restoring: feeder.processor.snapshot(nextOffsets: [:]), publishing: publishing(step: step, interval: .zero)))
        #expect(restored.processor.unlocatedCrossingCount > 0)

        // Bob has no event after the restart; another user's, 60 days later, moves the watermark.
        restored.apply(reshare(100, actor: "x", target: "carol", at: Self.start + 60 * Self.day), wallClock: wall(2_000))
        restored.tick(wallClock: wall(2_000))
        #expect(restored.processor.unlocatedCrossingCount == 0)
        let changes = restored.changes(for: "bob")
        #expect(changes.count == 1)
        let decayed = try #require(changes.first)
        #expect(decayed.previous == published)
        #expect((decayed.card?.score ?? 100) < published - step)
        let bob = try #require(restored.processor.state.handle(of: "bob"))
        #expect(abs((decayed.card?.score ?? 0) - restored.processor.state.score(of: bob)) < 1e-9)
    }

    @Test("posts that lower a score bring its decay crossing forward")
    func postsBringCrossingForward() throws {
        let step = 0.5
        let feeder = try feeder(step: step, interval: .zero)
        fans(20, reshare: "bob", into: feeder)
        let bob = try #require(feeder.processor.state.handle(of: "bob"))
        let before = feeder.changes(for: "bob")
        let published = Double(Float(try #require(before.last?.card?.score)))
        let crossingBefore = try #require(feeder.processor.state.nextDecayCrossing(of: bob, below: published - step))
        // A post lowers bob's *What* by less than the step.
        feeder.apply(
            EventJSON.post(id: "p1", network: "twitter", time: Self.start + 100, author: "bob", content: "c1"), wallClock: wall(2_000))
        try #require(feeder.changes(for: "bob").count == before.count, "the fall must stay below the step for this test")
        let crossing = try #require(feeder.processor.state.nextDecayCrossing(of: bob, below: published - step))
        try #require(crossing < crossingBefore)
        // Past the new crossing but before the old one: the change is published.
        feeder.apply(reshare(101, actor: "x", target: "carol", at: (crossing + crossingBefore) / 2), wallClock: wall(3_000))
        feeder.tick(wallClock: wall(3_000))
        let after = feeder.changes(for: "bob")
        #expect(after.count == before.count + 1)
        #expect((after.last?.card?.score ?? 100) < published - step)
    }

    @Test("an erase publishes a tombstone with the last published score as previous")
    func eraseGivesTombstone() throws {
        let feeder = try feeder(interval: .zero)
        feeder.apply(reshare(1, actor: "a1", target: "bob", at: Self.start), wallClock: wall(1_000))
        feeder.apply(EventJSON.erase(id: "x1", time: Self.start + 1, user: "bob"), wallClock: wall(1_001))
        let changes = feeder.changes(for: "bob")
        #expect(changes.count == 2)
        #expect(changes[1].card == nil)
        #expect(changes[1].previous == Double(Float(changes[0].card!.score)))
        #expect(feeder.processor.state.handle(of: "bob") == nil)
        // Erasing a user this partition never saw still tells subscribers to forget them.
        feeder.apply(EventJSON.erase(id: "x2", time: Self.start + 2, user: "nobody"), wallClock: wall(1_002))
        #expect(feeder.changes(for: "nobody").count == 1)
        #expect(feeder.changes(for: "nobody").first?.card == nil)
    }

    @Test("event times outside the believable window are rejected with time_out_of_bounds")
    func timeBounds() throws {
        let feeder = try feeder()
        let wallClock: Int64 = 1_700_000_000_000
        feeder.apply(reshare(1, actor: "a", target: "bob", at: 100), wallClock: wallClock)
        feeder.apply(reshare(2, actor: "a", target: "bob", at: wallClock + 2 * 3_600_000), wallClock: wallClock)
        #expect(feeder.rejections.map(\.reason) == [.timeOutOfBounds, .timeOutOfBounds])
        #expect(feeder.published.isEmpty)
    }

    @Test("an action the model is not configured for is rejected as unknown_action")
    func unknownAction() throws {
        let feeder = try feeder()
        feeder.apply(EventJSON.reaction(id: "e", network: "twitter", time: Self.start, action: "poke", actor: "a", target: "bob"), wallClock: wall(1))
        #expect(feeder.rejections.map(\.reason) == [.unknownAction])
    }

    @Test("versions of one user's changes strictly increase")
    func versionsIncrease() throws {
        let feeder = try feeder(interval: .zero)
        for index in 0..<50 {
            feeder.apply(reshare(index, actor: "a\(index)", target: "bob", at: Self.start + Int64(index) * 1000), wallClock: wall(Int64(index)))
        }
        let versions = feeder.changes(for: "bob").map(\.version)
        #expect(versions.count > 3)
        #expect(zip(versions, versions.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("a user flagged by a profile event is published as flagged, so other partitions weigh their reactions alike")
    func flaggedUsersArePublishedAsFlagged() throws {
        let feeder = try feeder(interval: .zero)
        feeder.apply(EventJSON.profile(id: "p1", network: "twitter", time: Self.start, user: "spammy", followers: 5, following: 4000, flags: ["bot"]), wallClock: wall(1))
        feeder.apply(reshare(2, actor: "a", target: "honest", at: Self.start + 1), wallClock: wall(2))
        #expect(feeder.changes(for: "spammy").last?.flagged == true)
        #expect(feeder.changes(for: "honest").last?.flagged == false)
        var json = JSONWriter()
        #expect(feeder.changes(for: "spammy").last?.encodedValue(into: &json) == true)
        #expect(String(decoding: json.bytes, as: UTF8.self).contains(#""flagged":true"#))
    }
}
