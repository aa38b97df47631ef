/// The per-topic evaluation (`resonance evaluate --by-topic`).
extension EvaluationReport {
    /// Per cutoff: how often the topic score beats the overall score, the user-weighted means of
    /// each ranking's ρ and NDCG over the judged topics (``TopicCutoffResult/isJudged``), and a row
    /// per judged topic (at most `rows`, the ones with most users), as Markdown.
    public static func topicMarkdown(_ result: EvaluationResult, k: Int, rows: Int = 20) -> String {
        var text = ""
        for cutoff in result.cutoffs {
            let topics = cutoff.topics.filter(\.isJudged)
            text += "#### Topics at \(format(time: cutoff.cutoff))\n\n"
            text += "- \(cutoff.topics.count) topics had enough users with reactions before the cutoff; in \(topics.count) of them "
                + "at least three users received reactions after it, which judges a ranking.\n"
            guard !topics.isEmpty else {
                text += "\n"
                continue
            }
            text += "- \(topicVerdict(topics)).\n"
            let methods: [EvaluationMethod] = [.resonanceTopic, .resonance, .topicReactions, .totalReactions]
            for method in methods {
                text += "- \(method.title): mean ρ \(number(weightedMean(topics, method, \.spearmanReactions))), "
                    + "mean NDCG@\(k) \(number(weightedMean(topics, method, \.ndcg))) (weighted by users).\n"
            }
            text += "\n| Topic | Users | Reactions after | ρ topic score | ρ overall score | ρ reactions in topic | NDCG topic score | NDCG overall score | NDCG reactions in topic |\n"
            text += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
            for topic in topics.prefix(rows) {
                let cells = [EvaluationMethod.resonanceTopic, .resonance, .topicReactions].map { number(topic.metrics(of: $0)?.spearmanReactions) }
                    + [EvaluationMethod.resonanceTopic, .resonance, .topicReactions].map { number(topic.metrics(of: $0)?.ndcg) }
                let name = topic.topic.replacingOccurrences(of: "|", with: "\\|")
                text += "| \(name) | \(topic.evaluatedUsers) | \(topic.futureReactions) | \(cells.joined(separator: " | ")) |\n"
            }
            if topics.count > rows { text += "\n\(topics.count - rows) more topics are in the means above.\n" }
            text += "\n"
        }
        return text
    }

    /// In how many topics the topic score ranks better, and worse, than the overall score, on ρ
    /// and on NDCG.
    static func topicVerdict(_ topics: [TopicCutoffResult]) -> String {
        func count(_ metric: (MethodMetrics) -> Double?) -> (better: Int, worse: Int) {
            var better = 0
            var worse = 0
            for topic in topics {
                guard let mine = topic.metrics(of: .resonanceTopic).flatMap(metric),
                    let theirs = topic.metrics(of: .resonance).flatMap(metric)
                else { continue }
                if mine > theirs { better += 1 } else if mine < theirs { worse += 1 }
            }
            return (better, worse)
        }
        let rho = count(\.spearmanReactions)
        let ndcg = count(\.ndcg)
        return "The topic score ranks engagement in its topic better than the overall score in \(rho.better) topics "
            + "and worse in \(rho.worse) on ρ; better in \(ndcg.better) and worse in \(ndcg.worse) on NDCG"
    }

    /// The mean of a metric over the topics, weighted by each topic's evaluated users (topics where
    /// it is undefined left out); nil when it is undefined everywhere.
    public static func weightedMean(_ topics: [TopicCutoffResult], _ method: EvaluationMethod, _ metric: (MethodMetrics) -> Double?) -> Double? {
        var sum = 0.0
        var weight = 0.0
        for topic in topics {
            guard let value = topic.metrics(of: method).flatMap(metric) else { continue }
            sum += value * Double(topic.evaluatedUsers)
            weight += Double(topic.evaluatedUsers)
        }
        return weight > 0 ? sum / weight : nil
    }
}
