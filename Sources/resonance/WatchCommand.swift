import ArgumentParser
import Foundation
import ResonanceKafka

/// `resonance watch`: prints score changes from the scores topic as they arrive, the way a
/// subscriber sees them.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print score changes from the scores topic as they arrive."
    )

    @Option(name: .long, help: "Kafka bootstrap servers (default: RESONANCE_BROKERS or 127.0.0.1:9092).")
    var brokers: String?

    @Option(name: .long, help: "The scores topic.")
    var topic: String = "scores"

    @Flag(name: .customLong("from-beginning"), help: "Start at the oldest retained change instead of the newest.")
    var fromBeginning = false

    @Option(name: .long, help: "Only this user's changes (repeatable).")
    var user: [String] = []

    @Flag(name: .long, help: "Say each change in words: how far it moved and what the score is made of.")
    var explain = false

    @Option(name: .long, help: "Stop after this many changes.")
    var limit: Int?

    @Option(name: .long, help: "Stop after this many seconds.")
    var seconds: Double?

    func run() throws {
        let servers = (brokers ?? ProcessInfo.processInfo.environment["RESONANCE_BROKERS"] ?? "127.0.0.1:9092")
            .split(separator: ",").map(String.init)
        switch Result(catching: { () throws(KafkaError) in try watch(servers) }) {
        case .success: break
        case .failure(let error): throw ValidationError(error.message)
        }
    }

    private func watch(_ servers: [String]) throws(KafkaError) {
        var configuration = ConsumerConfiguration(bootstrapServers: servers, groupID: nil)
        configuration.enablePartitionEOF = false
        let consumer = try KafkaConsumer(configuration: configuration)
        let partitions = try consumer.partitions(of: topic)
        try consumer.assign(Dictionary(uniqueKeysWithValues: partitions.map { ($0, fromBeginning ? KafkaOffset.beginning : .end) }))
        let deadline = seconds.map { ContinuousClock.now + .milliseconds(Int64($0 * 1000)) }
        var printed = 0
        while limit.map({ printed < $0 }) ?? true, deadline.map({ ContinuousClock.now < $0 }) ?? true {
            let batch = try consumer.poll(maxMessages: 1000, timeout: .milliseconds(200))
            for message in batch {
                let user = message.key.map { String(decoding: $0, as: UTF8.self) } ?? "?"
                if !self.user.isEmpty, !self.user.contains(user) { continue }
                let value = message.value.map { Data($0) }
                let line = explain ? Self.explain(user: user, value: value) : Self.describe(user: user, value: value)
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
                printed += 1
                if let limit, printed >= limit { break }
            }
        }
        try consumer.close()
    }

    /// The figures of a change a watcher prints.
    private struct Change {
        var score: Double
        var previous: Double
        var reach: Double
        var amplification: Double
        var impact: Double
        var version: Int
        /// The user's topic scores, highest first (ties by name).
        var topics: [(topic: String, score: Double)]

        init?(_ value: Data) {
            guard let change = try? JSONSerialization.jsonObject(with: value) as? [String: Any],
                let score = change["score"] as? Double, let previous = change["previous"] as? Double
            else { return nil }
            self.score = score
            self.previous = previous
            reach = change["reach"] as? Double ?? 0
            amplification = change["amplification"] as? Double ?? 0
            impact = change["impact"] as? Double ?? 0
            version = change["version"] as? Int ?? 0
            topics = (change["topics"] as? [String: Double] ?? [:]).map { ($0.key, $0.value) }
                .sorted { ($0.score, $1.topic) > ($1.score, $0.topic) }
        }

        /// "; about chess 58.2, go 31.1" for the three strongest topics; empty without topics.
        var aboutTopics: String {
            guard !topics.isEmpty else { return "" }
            return "; about " + topics.prefix(3).map { String(format: "%@ %.1f", $0.topic, $0.score) }.joined(separator: ", ")
        }
    }

    /// One change in words: the move (or, for a user's first published score, just the score:
    /// `previous` is then 0, not a score the user had) and its sub-scores.
    static func explain(user: String, value: Data?) -> String {
        guard let value else { return "\(user) was erased: their score is withdrawn" }
        guard let change = Change(value) else { return "\(user): unreadable change: \(String(decoding: value, as: UTF8.self))" }
        let parts = String(
            format: "reach %.1f, amplification %.1f, network impact %.1f", change.reach, change.amplification, change.impact)
            + change.aboutTopics
        guard change.previous > 0 else { return String(format: "%@ now scores %.2f (%@)", user, change.score, parts) }
        let verb = change.score >= change.previous ? "rose" : "fell"
        return String(
            format: "%@ %@ from %.2f to %.2f (%+.2f): %@", user, verb, change.previous, change.score, change.score - change.previous, parts)
    }

    /// One line per change: user, previous → score, sub-scores, version.
    static func describe(user: String, value: Data?) -> String {
        guard let value else { return "\(user)  erased (tombstone)" }
        guard let change = Change(value) else { return "\(user)  unreadable change: \(String(decoding: value, as: UTF8.self))" }
        return String(
            format: "%@  %6.2f -> %6.2f  reach %.1f  impact %.1f  v%d", user, change.previous, change.score, change.reach,
            change.impact, change.version)
    }
}
