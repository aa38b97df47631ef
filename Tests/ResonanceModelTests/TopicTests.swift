#if canImport(Glibc)
import Glibc
#endif
@testable import ResonanceModel
import Testing

/// Topic influence: reactions to a post credit its author in the post's topics, weighed as the
/// overall score weighs them, within a bounded budget of topics per user.
@Suite("Topics")
struct TopicTests {
    @Test("a reaction to a post with topics credits its author in each topic, with the overall score's weight")
    func creditFollowsTheOverallWeight() throws {
        var fixture = ModelFixture()
        fixture.establish("fan", score: 50)
        fixture.post("runner", content: "post-1", topics: ["running", "shoes"])
        fixture.react("fan", "reshare", "runner", content: "post-1")
        fixture.react("stranger", "like", "runner", content: "post-1")
        let handle = try #require(fixture.state.handle(of: "runner"))
        let topics = fixture.state.topicScores(of: handle)
        #expect(topics.map(\.topic).sorted() == ["running", "shoes"])
        let overall = try #require(fixture.state.explain(handle)).networks[0]
        for topic in topics {
            // One network of weight 1, one post, every reaction about both topics: the same sums.
            #expect(abs(topic.establishedEngagement - overall.establishedEngagement) < 1e-12)
            #expect(abs(topic.crowdEngagement - overall.crowdEngagement) < 1e-12)
            #expect(abs(topic.enduringEngagement - overall.enduringEngagement) < 1e-12)
            #expect(abs(topic.whatFactor - overall.whatFactor) < 1e-12)
            #expect(topic.posts == 1)
            #expect(abs(topic.activeDays - overall.activeDays) < 1e-12)
            #expect(abs(topic.raw - overall.raw) < 1e-12)
            #expect(abs(topic.raw - (topic.establishedEngagement * topic.whatFactor + topic.crowdEffective + topic.enduringEngagement + topic.activeDays)) < 1e-12)
            #expect(topic.score > 1)
            #expect(topic.topEngagers.map(\.userID) == ["fan", "stranger"])
        }
    }

    @Test("reactions without a known post with topics credit no topic, and users without topics hold no slots")
    func noTopicsCostNothing() throws {
        var fixture = ModelFixture()
        fixture.post("plain", content: "post-plain", topics: [])
        fixture.react("fan", "reshare", "plain", content: "post-plain")
        fixture.react("fan", "reshare", "plain", content: "never-posted")
        fixture.react("fan", "like", "plain")
        #expect(fixture.topicScores("plain").isEmpty)
        #expect(fixture.state.topicBlocks.count == 0 && fixture.state.topicSlots.count == 0)
        #expect(fixture.state.contentTopics.entries.count == 0)
    }

    @Test("a user keeps at most eight topics: a weak credit does not get in, one that outweighs the weakest topic replaces it")
    func boundedBudget() throws {
        var fixture = ModelFixture()
        fixture.establish("star", score: 90)
        for index in 0..<8 {
            fixture.post("writer", content: "post-\(index)", topics: ["topic-\(index)"])
            for fan in 0...index { fixture.react("fan-\(fan)", "reshare", "writer", content: "post-\(index)") }
        }
        #expect(fixture.topicScores("writer").count == 8)
        fixture.post("writer", content: "post-weak", topics: ["newcomer"])
        fixture.react("passer-by", "like", "writer", content: "post-weak")
        #expect(fixture.topicScores("writer")["newcomer"] == nil, "a like from a fresh account cannot push out a topic")
        fixture.react("star", "reshare", "writer", content: "post-weak")
        let topics = fixture.topicScores("writer")
        #expect(topics.count == 8)
        #expect(topics["newcomer"] != nil)
        #expect(topics["topic-0"] == nil, "the topic with the least engagement made room")
    }

    @Test("an undo takes back exactly its reaction's topic credit")
    func undoTakesBack() throws {
        var fixture = ModelFixture()
        fixture.establish("fan", score: 60)
        fixture.post("author", content: "post", topics: ["chess"])
        fixture.react("other", "like", "author", content: "post")
        let before = fixture.state.topicScores(of: fixture.user("author"))[0]
        let event = fixture.reactionEvent("fan", "reshare", "author", content: "post")
        fixture.apply(event)
        #expect(fixture.topicScores("author")["chess"]! > before.score)
        guard case .reaction(let reaction) = event else { return }
        fixture.apply(.undo(Undo(idHash: fixture.freshID(), time: fixture.now, undoesHash: reaction.idHash, actor: reaction.actor, target: reaction.target)))
        let after = fixture.state.topicScores(of: fixture.user("author"))[0]
        #expect(abs(after.score - before.score) < 1e-9)
        #expect(abs(after.activeDays - before.activeDays) < 1e-12)
        #expect(after.topEngagers.map(\.userID) == ["other"])
    }

    @Test("erasing a user removes their topics and their place among others' topic engagers, and unnames them as their posts' author")
    func eraseForgetsTopics() throws {
        var fixture = ModelFixture()
        fixture.post("author", content: "a-post", topics: ["chess"])
        fixture.react("secret", "reshare", "author", content: "a-post")
        fixture.post("secret", content: "s-post", topics: ["go"])
        fixture.react("author", "reshare", "secret", content: "s-post")
        let secret = fixture.user("secret")
        #expect(fixture.state.topicScores(of: fixture.user("author"))[0].topEngagers.map(\.userID) == ["secret"])
        fixture.apply(.erase(Erase(idHash: fixture.freshID(), time: fixture.now, user: secret)))
        #expect(fixture.state.topicScores(of: fixture.user("author"))[0].topEngagers.isEmpty)
        #expect(fixture.state.topicScores(of: secret).isEmpty)
        let tag = secret.rawValue + 1
        #expect(fixture.state.contentTopics.entries.allSatisfy { _, entry in entry.author != tag }, "no post names the erased user")
        #expect(!fixture.state.contentTopics.topics(of: StableHash.fnv1a64("a-post")).isEmpty)
    }

    @Test("an undo takes back what its reaction credited even after the post's author was erased or the content id was posted again")
    func undoAfterEraseOrRepost() throws {
        var fixture = ModelFixture()
        fixture.establish("fan", score: 60)
        fixture.post("author", content: "post", topics: ["chess"])
        let event = fixture.reactionEvent("fan", "reshare", "booster", content: "post")  // a reshare of a reshare
        fixture.apply(event)
        #expect(fixture.topicScores("booster")["chess"]! > 1)
        // The author is erased, and the content id comes again with other topics.
        fixture.apply(.erase(Erase(idHash: fixture.freshID(), time: fixture.now, user: fixture.user("author"))))
        fixture.post("impostor", content: "post", topics: ["go"])
        guard case .reaction(let reaction) = event else { return }
        fixture.apply(.undo(Undo(idHash: fixture.freshID(), time: fixture.now, undoesHash: reaction.idHash, actor: reaction.actor, target: reaction.target)))
        let chess = try #require(fixture.state.topicScores(of: fixture.user("booster")).first { $0.topic == "chess" })
        #expect(chess.raw < 1e-12 && chess.activeDays < 1e-12, "the chess credit is taken back in full")
        #expect(fixture.topicScores("booster")["go"] == nil)
    }

    @Test("topic sums decay with the score's half-life, across a landmark rebase too")
    func decayAcrossRebase() throws {
        var configuration = ModelConfiguration()
        configuration.halfLifeDays = 0.01  // 512 half-lives are 5.12 days: the rebase comes soon
        configuration.pairMemoryHalfLifeDays = 0.01
        var fixture = ModelFixture(configuration: configuration)
        fixture.establish("fan", score: 50)
        fixture.post("author", content: "post", topics: ["chess"])
        fixture.react("fan", "reshare", "author", content: "post")
        let landmark = fixture.state.landmark
        let before = fixture.state.topicScores(of: fixture.user("author"))[0].establishedEngagement
        let later = fixture.now + 6 * ModelFixture.day
        fixture.react("someone", "like", "elsewhere", at: later)
        #expect(fixture.state.landmark != landmark, "the landmark moved")
        let after = fixture.state.topicScores(of: fixture.user("author"))[0].establishedEngagement
        let expected = before * exp2(-Double(later - ModelFixture.start) / (0.01 * 86_400_000))
        #expect(abs(after - expected) <= expected * 1e-9)
    }

    @Test("topic records are laid out without padding, so their bytes are deterministic; a user's block is 576 bytes")
    func layouts() {
        #expect(MemoryLayout<TopicSlot>.size == 72 && MemoryLayout<TopicSlot>.stride == 72)
        #expect(MemoryLayout<ContentTopics.Entry>.size == 56 && MemoryLayout<ContentTopics.Entry>.stride == 56)
        #expect(MemoryLayout<UndoEntry>.size == 64 && MemoryLayout<UndoEntry>.stride == 64)
        #expect(InfluenceState.topicsPerUser * MemoryLayout<TopicSlot>.stride == 576)
    }

    @Test("topic_capacity = 0 turns topics off: no topic is interned, posts and reactions score as before")
    func topicsOff() throws {
        var configuration = ModelConfiguration()
        configuration.topicCapacity = 0
        var off = ModelFixture(configuration: configuration)
        var on = ModelFixture()
        #expect(off.state.internTopic(named: "chess") == nil)
        off.post("author", content: "post", topics: [])
        on.post("author", content: "post", topics: ["chess"])
        off.react("fan", "reshare", "author", content: "post")
        on.react("fan", "reshare", "author", content: "post")
        #expect(off.topicScores("author").isEmpty)
        #expect(off.score("author") == on.score("author"), "topics never change the overall score")
    }

    @Test("the topics of a post: at most eight, each once")
    func topicList() {
        let ids = (0..<9).map { TopicID(rawValue: UInt32($0)) }
        #expect(TopicList(ids) == nil)
        let list = TopicList(ids.prefix(3) + ids.prefix(3))
        #expect(list?.topics == Array(ids.prefix(3)))
    }

    @Test("a ring of 500 fresh accounts resharing 20 times each, aimed at one topic of an ordinary user, gains that topic at most 3 points")
    func ringAimedAtATopic() throws {
        var fixture = ModelFixture()
        // An ordinary user: three genuine engagers over three weeks on posts about running.
        for week in 0..<3 {
            let time = fixture.now - Int64(21 - 7 * week) * ModelFixture.day
            fixture.post("ordinary", content: "run-\(week)", topics: ["running"], at: time)
            fixture.establish("friend-\(week)", score: 30)
            fixture.react("friend-\(week)", "reshare", "ordinary", at: time + ModelFixture.hour, content: "run-\(week)")
        }
        fixture.post("ordinary", content: "bait", topics: ["running"])
        let end = fixture.now + ModelFixture.hour
        let overallBefore = fixture.score("ordinary", at: end)
        let made = fixture.now - ModelFixture.hour
        var baseline = fixture
        baseline.react("nobody", "like", "bystander", at: end)  // moves time to the attack's end
        let topicBefore = baseline.topicScores("ordinary")["running"]!
        for round in 0..<20 {
            for member in 0..<500 {
                let time = fixture.now + Int64(round * 500 + member) * 360
                fixture.react("ring-\(member)", "reshare", "ordinary", at: time, actorCreated: made, content: "bait")
            }
        }
        let overallGain = fixture.score("ordinary") - overallBefore
        let topicGain = fixture.topicScores("ordinary")["running"]! - topicBefore
        print("topics: ring on an ordinary user: overall \(overallBefore) +\(overallGain), running \(topicBefore) +\(topicGain)")
        // The model-level threshold for a ring of fresh accounts (GamingResistanceTests).
        #expect(topicGain >= 0 && topicGain <= 3, "topic gain \(topicGain), overall gain \(overallGain)")
    }
}
