import ResonanceEngine
import ResonanceModel

/// The evaluation procedure: replay a data set through the scorer, stop at each cutoff to rank the
/// users who have received reactions so far (by Resonance's score and by each baseline), and
/// compare the rankings with what those users receive after the cutoff.
///
/// The model runs exactly as in `resonance run --input`: contract-v1 events, in event-time order,
/// decoded by ``EventDecoder`` and applied by one ``PartitionProcessor`` (every actor local, so the
/// *Who* factor sees every actor's score). One replay serves every cutoff: at a cutoff the state has
/// seen precisely the events before it.
public enum Evaluation {
    /// Runs the evaluation.
    ///
    /// - Parameters:
    ///   - log: the data set.
    ///   - configuration: the model under test.
    ///   - options: cutoffs, outcome window, k, and what to record for the images.
    ///   - wallClock: the processor's wall clock, epoch milliseconds (only its bound on future event
    ///     times reads it).
    public static func run(
        log: EventLog, configuration: ModelConfiguration, options: EvaluationOptions, wallClock: Int64,
        progress: ReplayProgress? = nil
    ) throws -> EvaluationResult {
        guard let span = log.timeSpan else { throw EvaluationError("the input holds no events") }
        let cutoffs = options.cutoffs.sorted()
        var replay = try ReplayPartition(configuration: configuration, wallClock: wallClock)
        var timelines = chooseTimelineUsers(log, count: options.timelineUsers)
        // Handles are the state's; looked up once the users appear.
        var timelineHandles = [UserHandle?](repeating: nil, count: timelines.count)
        let sampleStep = Swift.max((span.upperBound - span.lowerBound) / Int64(Swift.max(options.timelineSamples, 1)), 1)
        var nextSample = span.lowerBound
        var scoreAfterLastReaction: [Double] = []
        var results: [CutoffResult] = []
        var nextCutoff = 0
        var rejected = 0

        func sample(at time: Int64, state: InfluenceState) {
            for index in timelines.indices {
                if timelineHandles[index] == nil { timelineHandles[index] = state.handle(of: timelines[index].user) }
                let score = timelineHandles[index].map { state.score(of: $0, at: time) } ?? 1
                timelines[index].points.append((time, score))
            }
        }

        for (done, event) in log.events.enumerated() {
            if done % ReplayProgressInterval.events == 0 { progress?(done, log.events.count) }
            while nextCutoff < cutoffs.count, event.time >= cutoffs[nextCutoff] {
                results.append(evaluate(log, cutoff: cutoffs[nextCutoff], state: replay.state, options: options))
                nextCutoff += 1
            }
            while nextSample <= event.time {
                sample(at: nextSample, state: replay.state)
                nextSample += sampleStep
            }
            let applied = replay.apply(event) { decoded, processor in
                guard decoded.kind == .reaction, !decoded.actor.elementsEqual(decoded.target),
                    let target = processor.state.handle(of: decoded.target)
                else { return }
                let index = Int(target.rawValue)
                if index >= scoreAfterLastReaction.count {
                    scoreAfterLastReaction.append(contentsOf: repeatElement(.nan, count: index + 1 - scoreAfterLastReaction.count))
                }
                scoreAfterLastReaction[index] = processor.state.score(of: target)
            }
            if !applied { rejected += 1 }
        }
        // Cutoffs after the last event see everything.
        while nextCutoff < cutoffs.count {
            results.append(evaluate(log, cutoff: cutoffs[nextCutoff], state: replay.state, options: options))
            nextCutoff += 1
        }
        sample(at: Swift.max(nextSample, span.upperBound), state: replay.state)
        progress?(log.events.count, log.events.count)
        return EvaluationResult(
            cutoffs: results,
            distribution: ScoreDistribution(scoreAfterLastReaction.filter { !$0.isNaN }),
            timelines: timelines,
            eventsReplayed: log.events.count,
            eventsRejected: rejected,
            users: log.userIDs.count,
            timeSpan: span)
    }

    /// Ranks every user who received a reaction before `cutoff` by each method and scores the
    /// rankings against the reactions received from `cutoff` to the end of the outcome window.
    static func evaluate(_ log: EventLog, cutoff: Int64, state: InfluenceState, options: EvaluationOptions) -> CutoffResult {
        let userCount = log.userIDs.count
        var received = [Double](repeating: 0, count: userCount)
        var reactors = [Double](repeating: 0, count: userCount)
        var recent = [Double](repeating: 0, count: userCount)
        var futureReceived = [Double](repeating: 0, count: userCount)
        var futureReactors = [Double](repeating: 0, count: userCount)
        var pairsBefore: [UInt64: Double] = [:]
        var pairsAfter = Set<UInt64>()
        var reactionsBefore = 0
        let windowEnd = options.horizon.map { cutoff + $0 }
        for interaction in log.interactions {
            let target = Int(interaction.target)
            let pair = UInt64(UInt32(bitPattern: interaction.actor)) << 32 | UInt64(UInt32(bitPattern: interaction.target))
            if interaction.time < cutoff {
                reactionsBefore += 1
                received[target] += 1
                if interaction.time >= cutoff - options.recentWindow { recent[target] += 1 }
                if pairsBefore[pair] == nil { reactors[target] += 1 }
                pairsBefore[pair, default: 0] += 1
            } else if !interaction.injected, windowEnd.map({ interaction.time < $0 }) ?? true {
                futureReceived[target] += 1
                if pairsAfter.insert(pair).inserted { futureReactors[target] += 1 }
            }
        }

        // PageRank over the users in the interaction graph before the cutoff, one edge per
        // actor→target pair weighted by its count of reactions.
        var node = [Int32](repeating: -1, count: userCount)
        var nodeCount: Int32 = 0
        var edges: [PageRank.Edge] = []
        edges.reserveCapacity(pairsBefore.count)
        // Sorted so that the floating-point sums, and so the result, do not depend on hash order.
        for (pair, weight) in pairsBefore.sorted(by: { $0.key < $1.key }) {
            let actor = Int(pair >> 32)
            let target = Int(pair & 0xFFFF_FFFF)
            for user in [actor, target] where node[user] < 0 {
                node[user] = nodeCount
                nodeCount += 1
            }
            edges.append(PageRank.Edge(from: node[actor], to: node[target], weight: weight))
        }
        let pageRank = PageRank(nodeCount: Int(nodeCount), edges: edges, damping: options.damping, tolerance: options.pageRankTolerance)

        let evaluated = (0..<userCount).filter { received[$0] > 0 }
        let model: [Double] = evaluated.map { user in
            state.handle(of: log.userIDs[user]).map { state.score(of: $0, at: cutoff) } ?? 1
        }
        let outcomeReactions = evaluated.map { futureReceived[$0] }
        let outcomeReactors = evaluated.map { futureReactors[$0] }
        let features: [(EvaluationMethod, [Double])] = [
            (.resonance, model),
            (.totalReactions, evaluated.map { received[$0] }),
            (.distinctReactors, evaluated.map { reactors[$0] }),
            (.lastDayReactions, evaluated.map { recent[$0] }),
            (.pageRank, evaluated.map { pageRank.values[Int(node[$0])] }),
        ]
        // Ranks of the attacked users, 1 for the highest score.
        let attacked = Set(options.attackedUsers[cutoff] ?? [])
        let attackedRows = attacked.isEmpty ? [] : evaluated.indices.filter { attacked.contains(log.userIDs[evaluated[$0]]) }
        func medianAttackedRank(_ scores: [Double]) -> Double? {
            guard !attackedRows.isEmpty else { return nil }
            let ranks = RankCorrelation.averageRanks(scores.map { -$0 })
            let chosen = attackedRows.map { ranks[$0] }.sorted()
            let middle = chosen.count / 2
            return chosen.count % 2 == 1 ? chosen[middle] : (chosen[middle - 1] + chosen[middle]) / 2
        }
        var result = CutoffResult(
            cutoff: cutoff,
            windowEnd: windowEnd,
            evaluatedUsers: evaluated.count,
            usersWithFutureReactions: outcomeReactions.filter { $0 > 0 }.count,
            futureReactions: Int(outcomeReactions.reduce(0, +)),
            reactionsBefore: reactionsBefore,
            pageRankIterations: pageRank.iterations,
            pageRankResidual: pageRank.residual,
            scores: ScoreDistribution(model),
            metrics: features.map { method, scores in
                var metrics = MethodMetrics(method: method, scores: scores, futureReactions: outcomeReactions, futureReactors: outcomeReactors, k: options.k)
                metrics.attackedMedianRank = medianAttackedRank(scores)
                return metrics
            })
        if options.byTopic {
            result.topics = TopicEvaluation.evaluate(log, cutoff: cutoff, state: state, received: received, options: options)
        }
        return result
    }

    /// The users to follow through the replay: those who received reactions on the most distinct
    /// days (sustained attention shows decay and recovery better than one viral burst), ties
    /// broken by reactions received, then by id.
    static func chooseTimelineUsers(_ log: EventLog, count: Int) -> [ScoreTimeline] {
        guard count > 0 else { return [] }
        var reactions = [Int](repeating: 0, count: log.userIDs.count)
        var days = [Int](repeating: 0, count: log.userIDs.count)
        var lastDay = [Int64](repeating: .min, count: log.userIDs.count)
        // Interactions are in time order, so a user's days arrive in order too.
        for interaction in log.interactions {
            let target = Int(interaction.target)
            reactions[target] += 1
            let day = interaction.time / 86_400_000
            if lastDay[target] != day {
                lastDay[target] = day
                days[target] += 1
            }
        }
        let chosen = log.userIDs.indices.filter { reactions[$0] > 0 }
            .sorted { (days[$0], reactions[$0], log.userIDs[$1]) > (days[$1], reactions[$1], log.userIDs[$0]) }
            .prefix(count)
        return chosen.map { ScoreTimeline(user: log.userIDs[$0], reactionsReceived: reactions[$0], activeDays: days[$0]) }
    }
}

/// Told how far a replay of a data set has got: events done, events in all. Called every
/// ``ReplayProgressInterval/events`` events and at the end.
public typealias ReplayProgress = (_ done: Int, _ total: Int) -> Void

/// How often a replay reports its progress.
public enum ReplayProgressInterval {
    public static let events = 65_536
}
