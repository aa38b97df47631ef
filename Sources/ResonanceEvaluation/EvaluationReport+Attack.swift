/// The clean and the attacked evaluation side by side (`resonance evaluate --attack`).
extension EvaluationReport {
    /// One row per cutoff and method: ρ (reactions after) and NDCG@k clean and attacked, and the
    /// attacked users' median rank in both, as a Markdown table, then a verdict per cutoff.
    public static func attackComparison(clean: EvaluationResult, attacked: EvaluationResult, k: Int) -> String {
        var text = "| Cutoff | Method | ρ clean | ρ attacked | NDCG@\(k) clean | NDCG@\(k) attacked | Attacked users' median rank, clean → attacked |\n"
        text += "|---|---|---:|---:|---:|---:|---:|\n"
        for (before, after) in zip(clean.cutoffs, attacked.cutoffs) {
            for row in after.metrics {
                let was = before.metrics(of: row.method)
                let rank = "\(rankText(was?.attackedMedianRank)) → \(rankText(row.attackedMedianRank))"
                text += "| \(format(time: after.cutoff)) | \(row.method.title) | \(number(was?.spearmanReactions)) | \(number(row.spearmanReactions)) "
                    + "| \(number(was?.ndcg)) | \(number(row.ndcg)) | \(rank) |\n"
            }
        }
        text += "\n"
        for (before, after) in zip(clean.cutoffs, attacked.cutoffs) {
            text += "- \(format(time: after.cutoff)): \(verdict(clean: before, attacked: after)).\n"
        }
        return text
    }

    /// How far Resonance's metrics moved under attack, and whether it beats every baseline attacked.
    static func verdict(clean: CutoffResult, attacked: CutoffResult) -> String {
        guard let before = clean.metrics(of: .resonance), let after = attacked.metrics(of: .resonance) else { return "no result" }
        func change(_ a: Double?, _ b: Double?) -> String {
            guard let a, let b else { return "n/a" }
            return String(format: "%+.3f", b - a)
        }
        let beats = attacked.resonanceWins ? "beats every baseline on both ρ and NDCG attacked" : "does not beat every baseline on both ρ and NDCG attacked"
        return "Resonance's ρ moves \(change(before.spearmanReactions, after.spearmanReactions)), "
            + "its NDCG \(change(before.ndcg, after.ndcg)); it \(beats)"
    }

    static func rankText(_ rank: Double?) -> String {
        rank.map { $0 == $0.rounded() ? String(Int($0)) : String(format: "%.1f", $0) } ?? "n/a"
    }
}
