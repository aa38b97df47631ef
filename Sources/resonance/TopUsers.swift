import Foundation
import ResonanceEngine
import ResonanceModel

/// Where a command prints its human-readable report.
enum ReportStream {
    case standardOutput
    case standardError
}

/// Prints the `count` highest-scoring users across partition states, with their sub-scores.
func printTopUsers(_ processors: [PartitionProcessor], count: Int, to stream: ReportStream = .standardOutput) {
    var top: [(user: String, card: ScoreCard)] = []
    for processor in processors {
        processor.state.forEachTrackedUser { handle in
            let score = processor.state.score(of: handle)
            if top.count < count || score > top[top.count - 1].card.score {
                guard let card = processor.state.scoreCard(of: handle), let id = processor.state.userID(of: handle) else { return }
                top.append((id, card))
                top.sort { $0.card.score > $1.card.score }
                if top.count > count { top.removeLast() }
            }
        }
    }
    var lines = "top \(top.count) users:\n"
    lines += "  rank  user                  score   reach    amplification  impact\n"
    for (rank, entry) in top.enumerated() {
        let user = entry.user.count >= 20 ? entry.user : entry.user + String(repeating: " ", count: 20 - entry.user.count)
        lines += "  " + String(format: "%4d", rank + 1) + "  " + user + "  "
            + String(format: "%6.2f  %7.2f  %13.3f  %6.2f\n", entry.card.score, entry.card.reach, entry.card.amplification, entry.card.impact)
    }
    let data = Data(lines.utf8)
    switch stream {
    case .standardOutput: FileHandle.standardOutput.write(data)
    case .standardError: FileHandle.standardError.write(data)
    }
}
