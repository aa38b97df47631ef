import Foundation

/// Renders an ``EvaluationResult`` as a Markdown table (for docs/VALIDATION.md) or as aligned text
/// (for the terminal).
public enum EvaluationReport {
    /// A UTC date and time, `2015-07-01` when at midnight, else `2015-07-01 12:00`.
    public static func format(time: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(time) / 1000)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = time % 86_400_000 == 0 ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    static func number(_ value: Double?) -> String {
        value.map { String(format: "%.3f", $0) } ?? "n/a"
    }

    static func describe(_ cutoff: CutoffResult) -> String {
        let window = cutoff.windowEnd.map { "until \(format(time: $0))" } ?? "to the end of the data"
        return "\(cutoff.evaluatedUsers) users evaluated (≥1 reaction before the cutoff, \(cutoff.reactionsBefore) reactions); "
            + "\(cutoff.usersWithFutureReactions) of them received \(cutoff.futureReactions) reactions after it (\(window)); "
            + "Resonance scores at the cutoff: mean \(String(format: "%.1f", cutoff.scores.mean)), "
            + "p95 \(String(format: "%.1f", cutoff.scores.p95)); PageRank: \(cutoff.pageRankIterations) iterations, "
            + "L1 change \(String(format: "%.1e", cutoff.pageRankResidual))"
    }

    /// The result as Markdown: one table row per cutoff and method, the best value of each metric
    /// at each cutoff in bold, then a line per cutoff describing its population.
    public static func markdown(_ result: EvaluationResult, k: Int) -> String {
        var text = "| Cutoff | Method | Spearman ρ (reactions after) | Spearman ρ (distinct reactors after) | NDCG@\(k) | Precision@\(k) |\n"
        text += "|---|---|---:|---:|---:|---:|\n"
        for cutoff in result.cutoffs {
            let best = bestValues(cutoff)
            for row in cutoff.metrics {
                let cells = [row.spearmanReactions, row.spearmanReactors, row.ndcg, row.precision].enumerated().map { column, value in
                    let cell = number(value)
                    return value != nil && value == best[column] ? "**\(cell)**" : cell
                }
                text += "| \(format(time: cutoff.cutoff)) | \(row.method.title) | \(cells.joined(separator: " | ")) |\n"
            }
        }
        text += "\n"
        for cutoff in result.cutoffs {
            text += "- \(format(time: cutoff.cutoff)): \(describe(cutoff)). "
            text += cutoff.resonanceWins ? "Resonance beats every baseline on both ρ and NDCG.\n" : "Resonance does not beat every baseline on both ρ and NDCG.\n"
        }
        return text
    }

    /// The result as aligned plain text.
    public static func text(_ result: EvaluationResult, k: Int) -> String {
        func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let padding = String(repeating: " ", count: Swift.max(0, width - text.count))
            return left ? text + padding : padding + text
        }
        var text = pad("cutoff", 16, left: true) + pad("method", 22, left: true)
            + pad("rho(reactions)", 16) + pad("rho(reactors)", 15) + pad("NDCG@\(k)", 10) + pad("P@\(k)", 8) + "\n"
        for cutoff in result.cutoffs {
            for row in cutoff.metrics {
                text += pad(format(time: cutoff.cutoff), 16, left: true) + pad(row.method.title, 22, left: true)
                    + pad(number(row.spearmanReactions), 16) + pad(number(row.spearmanReactors), 15)
                    + pad(number(row.ndcg), 10) + pad(number(row.precision), 8) + "\n"
            }
            text += "  \(describe(cutoff))\n"
            text += cutoff.resonanceWins ? "  Resonance beats every baseline on both rho and NDCG\n" : "  Resonance does NOT beat every baseline on both rho and NDCG\n"
        }
        return text
    }

    static func bestValues(_ cutoff: CutoffResult) -> [Double?] {
        let columns: [(MethodMetrics) -> Double?] = [\.spearmanReactions, \.spearmanReactors, \.ndcg, { $0.precision }]
        return columns.map { column in cutoff.metrics.compactMap(column).max() }
    }
}
