#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ResonanceModel

/// A generated data set whose topic structure is known, for the tests and the demo of topic
/// influence (`resonance produce --generate topics`; data/README.md, "The topic world").
///
/// - Fans follow one or two of the topics, chosen uniformly.
/// - Each author writes about one to three topics and has, in each, an appeal drawn from a
///   log-normal distribution (median 1, σ 1): the same author can move people about running and
///   leave them cold about cooking. Each author also posts without topics, with an appeal of its own.
/// - Every day each author posts with a probability of their own (0.1–0.6), about one of their
///   topics chosen uniformly, or (one post in five) about nothing in particular.
/// - A post draws Poisson(2 · appeal) reactions, within two days, from random fans of its topic
///   (any fan for a post without topics), one in ten from another author of the topic (whose
///   standing then counts as *Who*): reshares, likes and replies in the ratio 2:2:1, each carrying
///   the post's content id.
///
/// So an author's engagement in a topic after any date is, in expectation, their posting rate in
/// it times their appeal in it: what a topic score should rank by, and what an overall score,
/// which mixes every topic, cannot. The same options always give the same events.
public struct TopicWorld: Sendable {
    /// The world's size and seed.
    public struct Options: Sendable, Equatable {
        public var seed: UInt64 = 7
        public var authors = 300
        public var fans = 4_000
        public var topics = 8
        public var days = 90
        /// The first day, epoch milliseconds (2024-01-01T00:00Z).
        public var start: Int64 = 1_704_067_200_000
        public init() {}
    }

    /// Topic names, in order; the first eight read as subjects, the rest are numbered.
    public static func topicNames(_ count: Int) -> [String] {
        let named = ["running", "cooking", "chess", "jazz", "climate", "football", "gardening", "photography"]
        return (0..<count).map { $0 < named.count ? named[$0] : "topic-\($0)" }
    }

    /// The events of the world, in time order (posts before their reactions).
    public static func events(_ options: Options = Options()) -> [EncodedEvent] {
        var random = SplitMix64(seed: options.seed)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        func normal() -> Double { sqrt(-2 * log(Swift.max(uniform(), 1e-300))) * cos(2 * .pi * uniform()) }
        func poisson(_ mean: Double) -> Int {
            // Knuth's method: the means here are small.
            let limit = exp(-mean)
            var count = 0
            var product = uniform()
            while product > limit {
                count += 1
                product *= uniform()
            }
            return count
        }
        let topics = topicNames(Swift.max(options.topics, 1))
        var fansOf = [[Int]](repeating: [], count: topics.count)
        for fan in 0..<options.fans {
            let first = Int(random.next() % UInt64(topics.count))
            fansOf[first].append(fan)
            if uniform() < 0.5 {
                let second = Int(random.next() % UInt64(topics.count))
                if second != first { fansOf[second].append(fan) }
            }
        }
        let hour: Int64 = 3_600_000
        var events: [EncodedEvent] = []
        var topicsOf: [[Int]] = []
        var authorsOf = [[Int]](repeating: [], count: topics.count)
        for author in 0..<options.authors {
            var chosen: [Int] = []
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let topic = Int(random.next() % UInt64(topics.count))
                if !chosen.contains(topic) { chosen.append(topic) }
            }
            topicsOf.append(chosen)
            for topic in chosen { authorsOf[topic].append(author) }
        }
        for author in 0..<options.authors {
            let chosen = topicsOf[author]
            let appeal = chosen.map { _ in exp(normal()) }
            let generalAppeal = exp(normal())
            let rate = 0.1 + 0.5 * uniform()
            let name = "author-\(author)"
            for day in 0..<options.days {
                guard uniform() < rate else { continue }
                let time = options.start + Int64(day) * 24 * hour + Int64(random.next() % UInt64(24 * hour))
                let content = "\(name)/post-\(day)"
                let pick = uniform() < 0.2 ? nil : Int(random.next() % UInt64(chosen.count))
                let topicNames = pick.map { [topics[chosen[$0]]] } ?? []
                events.append(EventJSON.post(id: content, network: "twitter", time: time, author: name, content: content, topics: topicNames))
                let audience = pick.map { fansOf[chosen[$0]] } ?? []
                let peers = pick.map { authorsOf[chosen[$0]].filter { $0 != author } } ?? []
                let count = poisson(2 * (pick.map { appeal[$0] } ?? generalAppeal))
                for index in 0..<count {
                    let actor: String
                    if !peers.isEmpty && uniform() < 0.1 {
                        actor = "author-\(peers[Int(random.next() % UInt64(peers.count))])"
                    } else {
                        let fan = audience.isEmpty ? Int(random.next() % UInt64(options.fans)) : audience[Int(random.next() % UInt64(audience.count))]
                        actor = "fan-\(fan)"
                    }
                    let roll = random.next() % 5
                    let action = roll < 2 ? "reshare" : roll < 4 ? "like" : "reply"
                    let delay = 1 + Int64(random.next() % UInt64(48 * hour))
                    events.append(EventJSON.reaction(
                        id: "\(content)/\(index)", network: "twitter", time: time + delay, action: action,
                        actor: actor, target: name, content: content))
                }
            }
        }
        return events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }
}
