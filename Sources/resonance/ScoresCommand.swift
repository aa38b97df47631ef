import ArgumentParser
import Foundation
import ResonanceEngine
import ResonanceModel

/// `resonance scores`: exports every user's score and sub-scores from the snapshots in a state
/// directory, or every holder of one topic ranked by their score in it (`--topic`).
struct ScoresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scores",
        abstract: "Export every user's score and sub-scores from a state directory's snapshots.",
        discussion: "With --topic NAME, only the users who hold the topic, ranked by their score in it."
    )

    @Option(name: .customLong("state-dir"), help: "The state directory.")
    var stateDirectory: String

    @Option(name: .long, help: "csv or jsonl.")
    var format: String = "csv"

    @Option(name: .long, help: "TOML configuration whose [model] built the state (default: the built-in model).")
    var config: String?

    @Option(name: .long, help: "Write here instead of standard output.")
    var output: String?

    @Option(name: .long, help: "Rank the users who hold this topic by their score in it.")
    var topic: String?

    func validate() throws {
        guard ["csv", "jsonl"].contains(format) else { throw ValidationError("--format must be csv or jsonl") }
    }

    func run() throws {
        let configuration = try ResonanceConfiguration.offline(file: config)
        let store = SnapshotStore(directory: stateDirectory)
        let partitions = store.partitions()
        guard !partitions.isEmpty else { throw ValidationError("\(stateDirectory) holds no snapshots") }
        var rows: [(user: String, partition: Int32, card: ScoreCard)] = []
        var topicRows: [(user: String, partition: Int32, topicScore: Double, score: Double)] = []
        for partition in partitions {
            guard let (snapshot, _) = store.loadNewest(partition: partition, configuration: configuration.model, skipped: { problem in
                FileHandle.standardError.write(Data("resonance scores: skipping \(problem)\n".utf8))
            }) else {
                throw ValidationError("partition \(partition) has no usable snapshot in \(stateDirectory)")
            }
            let state = snapshot.state
            if let topic {
                guard let id = state.topicID(named: topic) else { continue }
                state.forEachUser(inTopic: id) { handle, topicScore in
                    if let user = state.userID(of: handle) { topicRows.append((user, partition, topicScore, state.score(of: handle))) }
                }
                continue
            }
            state.forEachTrackedUser { handle in
                if let card = state.scoreCard(of: handle), let id = state.userID(of: handle) { rows.append((id, partition, card)) }
            }
        }
        let writer = try ByteOutput(path: output ?? "-")
        if let topic {
            guard !topicRows.isEmpty else {
                try writer.close()
                throw ValidationError("no user in \(stateDirectory) holds the topic '\(topic)'")
            }
            topicRows.sort { $0.topicScore != $1.topicScore ? $0.topicScore > $1.topicScore : $0.user < $1.user }
            if format == "csv" { try writer.writeLine(Array("user,partition,topic,topic_score,score".utf8)) }
            for row in topicRows {
                try writer.writeLine(Array(Self.topicLine(row, topic: topic, format: format).utf8))
            }
            try writer.close()
            FileHandle.standardError.write(Data("resonance scores: \(topicRows.count) users hold '\(topic)' in \(partitions.count) partitions\n".utf8))
            return
        }
        if format == "csv" { try writer.writeLine(Array("user,partition,score,reach,amplification,impact,networks,topics".utf8)) }
        // Highest first; ties by user id, so the export of the same state is always the same bytes.
        rows.sort { $0.card.score != $1.card.score ? $0.card.score > $1.card.score : $0.user < $1.user }
        for row in rows {
            try writer.writeLine(Array(Self.line(user: row.user, partition: row.partition, card: row.card, format: format).utf8))
        }
        try writer.close()
        FileHandle.standardError.write(Data("resonance scores: \(rows.count) users from \(partitions.count) partitions\n".utf8))
    }

    /// A CSV field: quoted when it holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") || text.contains("\n") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    static func topicLine(_ row: (user: String, partition: Int32, topicScore: Double, score: Double), topic: String, format: String) -> String {
        if format == "csv" {
            return String(format: "%@,%d,%@,%.6f,%.6f", csvField(row.user), row.partition, csvField(topic), row.topicScore, row.score)
        }
        var json = JSONWriter()
        json.beginObject()
        json.key("user"); json.string(row.user)
        json.key("partition"); json.integer(Int64(row.partition))
        json.key("topic"); json.string(topic)
        json.key("topic_score"); json.number(row.topicScore, decimals: 6)
        json.key("score"); json.number(row.score, decimals: 6)
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    static func line(user: String, partition: Int32, card: ScoreCard, format: String) -> String {
        if format == "csv" {
            func pairs(_ scores: [String: Double]) -> String {
                scores.sorted { $0.key < $1.key }.map { "\($0.key)=\(String(format: "%.4f", $0.value))" }.joined(separator: ";")
            }
            return String(
                format: "%@,%d,%.6f,%.6f,%.6f,%.6f,%@,%@", csvField(user), partition, card.score, card.reach, card.amplification, card.impact,
                csvField(pairs(card.networks)), csvField(pairs(card.topics)))
        }
        var json = JSONWriter()
        json.beginObject()
        json.key("user"); json.string(user)
        json.key("partition"); json.integer(Int64(partition))
        json.key("score"); json.number(card.score, decimals: 6)
        json.key("reach"); json.number(card.reach, decimals: 6)
        json.key("amplification"); json.number(card.amplification, decimals: 6)
        json.key("impact"); json.number(card.impact, decimals: 6)
        json.key("networks")
        json.scoresByName(card.networks, decimals: 6)
        if !card.topics.isEmpty {
            json.key("topics")
            json.scoresByName(card.topics, decimals: 6)
        }
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }
}
