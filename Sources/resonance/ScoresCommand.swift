import ArgumentParser
import Foundation
import ResonanceEngine
import ResonanceModel

/// `resonance scores`: exports every user's score and sub-scores from the snapshots in a state
/// directory.
struct ScoresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scores",
        abstract: "Export every user's score and sub-scores from a state directory's snapshots."
    )

    @Option(name: .customLong("state-dir"), help: "The state directory.")
    var stateDirectory: String

    @Option(name: .long, help: "csv or jsonl.")
    var format: String = "csv"

    @Option(name: .long, help: "TOML configuration whose [model] built the state (default: the built-in model).")
    var config: String?

    @Option(name: .long, help: "Write here instead of standard output.")
    var output: String?

    func validate() throws {
        guard ["csv", "jsonl"].contains(format) else { throw ValidationError("--format must be csv or jsonl") }
    }

    func run() throws {
        let configuration = try ResonanceConfiguration.offline(file: config)
        let store = SnapshotStore(directory: stateDirectory)
        let partitions = store.partitions()
        guard !partitions.isEmpty else { throw ValidationError("\(stateDirectory) holds no snapshots") }
        let writer = try ByteOutput(path: output ?? "-")
        if format == "csv" { try writer.writeLine(Array("user,partition,score,reach,amplification,impact,networks".utf8)) }
        var rows: [(user: String, partition: Int32, card: ScoreCard)] = []
        for partition in partitions {
            guard let (snapshot, _) = store.loadNewest(partition: partition, configuration: configuration.model, skipped: { problem in
                FileHandle.standardError.write(Data("resonance scores: skipping \(problem)\n".utf8))
            }) else {
                throw ValidationError("partition \(partition) has no usable snapshot in \(stateDirectory)")
            }
            let state = snapshot.state
            state.forEachTrackedUser { handle in
                if let card = state.scoreCard(of: handle), let id = state.userID(of: handle) { rows.append((id, partition, card)) }
            }
        }
        // Highest first; ties by user id, so the export of the same state is always the same bytes.
        rows.sort { $0.card.score != $1.card.score ? $0.card.score > $1.card.score : $0.user < $1.user }
        for row in rows {
            try writer.writeLine(Array(Self.line(user: row.user, partition: row.partition, card: row.card, format: format).utf8))
        }
        try writer.close()
        FileHandle.standardError.write(Data("resonance scores: \(rows.count) users from \(partitions.count) partitions\n".utf8))
    }

    static func line(user: String, partition: Int32, card: ScoreCard, format: String) -> String {
        if format == "csv" {
            let networks = card.networks.sorted { $0.key < $1.key }.map { "\($0.key)=\(String(format: "%.4f", $0.value))" }.joined(separator: ";")
            let quoted = user.contains(",") || user.contains("\"") ? "\"" + user.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : user
            return String(format: "%@,%d,%.6f,%.6f,%.6f,%.6f,%@", quoted, partition, card.score, card.reach, card.amplification, card.impact, networks)
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
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }
}
