import ArgumentParser
import Foundation
import ResonanceEngine
import ResonanceEvaluation
import ResonanceModel

/// `resonance evaluate`: predictive validity of the score on a data set, against simple baselines,
/// plus the images of the score distribution and of a few users' scores over time.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Check that the score predicts future engagement better than simple baselines.",
        discussion: """
            Replays the input through the scorer (one partition, event-time order). At each --cutoff T
            it ranks every user who received a reaction before T by the Resonance score at T and by
            four baselines from the same events before T (reactions received, distinct reactors,
            reactions in the last day, PageRank of the actor→target graph), and compares each ranking
            with the reactions each user receives after T: Spearman ρ with the reactions and with the
            distinct reactors, NDCG@k with gain = reactions after T, precision@k against the top k by
            reactions after T. docs/VALIDATION.md defines each and shows the Twitter15/16 results.
            Example: resonance evaluate --format twitter1516 --cutoff 2015-07-01 --cutoff 2016-01-01
              --images docs/images --report docs/validation-table.md data/twitter1516_events.csv.gz
            """
    )

    @OptionGroup var dataset: DatasetInputOptions

    @Flag(name: .customLong("no-progress"), help: "No progress bar or progress lines while replaying.")
    var noProgress = false

    @Option(name: .long, help: "Cutoff time: YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ (UTC) or epoch milliseconds (repeatable).")
    var cutoff: [String] = []

    @Option(name: .long, help: "Count outcomes for this many days after each cutoff (default: to the end of the data).")
    var horizonDays: Double?

    @Option(name: .customLong("top"), help: "The k of NDCG@k and precision@k.")
    var k: Int = 100

    @Option(name: .long, help: "TOML configuration file whose [model] section is the model to evaluate.")
    var config: String?

    @Option(name: .long, help: "Write the table as Markdown to this file.")
    var report: String?

    @Option(name: .long, help: "Write score-histogram.svg and score-timelines.svg to this directory.")
    var images: String?

    @Option(name: .customLong("timeline-users"), help: "How many users' scores to draw over time.")
    var timelineUsers: Int = 4

    @Option(name: .long, help: "The data set's name in image titles.")
    var title: String?

    @Flag(name: .long, help: "Evaluate again after injecting the attack suite before each cutoff on users with few reactions, and compare.")
    var attack = false

    @Option(name: .customLong("attack-users"), help: "Users attacked before each cutoff (with --attack).")
    var attackUsers: Int = 50

    @Option(name: .customLong("attack-max-reactions"), help: "Attack only users with at most this many reactions before the cutoff (with --attack).")
    var attackMaxReactions: Int = 3

    @Option(name: .customLong("attack-seed"), help: "Seed of the draw of attacked users (with --attack).")
    var attackSeed: UInt64 = 1

    @Flag(name: .customLong("attack-without-account-ages"), help: "Inject the attacks without actor_created, as from a collector that does not report account ages.")
    var attackWithoutAccountAges = false

    @Flag(name: .customLong("by-topic"), help: "Also rank each topic's users by their topic score, overall score and counts, against the reactions in the topic after each cutoff.")
    var byTopic = false

    @Option(name: .customLong("topic-min-users"), help: "With --by-topic: evaluate a topic only when this many users had reactions in it before the cutoff.")
    var topicMinUsers: Int = 10

    func validate() throws {
        guard !cutoff.isEmpty || images != nil else {
            throw ValidationError("give at least one --cutoff (or --images for the distribution alone)")
        }
        guard k > 0 else { throw ValidationError("--top must be positive") }
        guard topicMinUsers >= 2 else { throw ValidationError("--topic-min-users must be at least 2 (a ranking of one user says nothing)") }
        if byTopic && cutoff.isEmpty { throw ValidationError("--by-topic needs at least one --cutoff") }
        if let horizonDays, !(horizonDays > 0) { throw ValidationError("--horizon-days must be positive") }
        if attack {
            guard !cutoff.isEmpty else { throw ValidationError("--attack needs at least one --cutoff") }
            guard attackUsers > 0 else { throw ValidationError("--attack-users must be positive") }
            guard attackMaxReactions > 0 else { throw ValidationError("--attack-max-reactions must be positive") }
        }
        for value in cutoff where Self.parseTime(value) == nil {
            throw ValidationError("--cutoff '\(value)' is not YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or epoch milliseconds")
        }
    }

    /// Epoch milliseconds of a date, a UTC date-time, or a number of milliseconds.
    static func parseTime(_ text: String) -> Int64? {
        if let milliseconds = Int64(text) { return milliseconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for pattern in ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm'Z'"] {
            formatter.dateFormat = pattern
            if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        }
        return nil
    }

    func run() throws {
        let configuration = try ResonanceConfiguration.offline(file: config)
        var options = EvaluationOptions()
        options.cutoffs = cutoff.compactMap(Self.parseTime)
        options.horizon = horizonDays.map { Int64($0 * 86_400_000) }
        options.k = k
        options.timelineUsers = images == nil ? 0 : timelineUsers
        options.byTopic = byTopic
        options.topicMinimumUsers = topicMinUsers

        let started = ContinuousClock.now
        let paths = dataset.paths
        let log = try dataset.load(reportingAs: "resonance evaluate", then: "; replaying")
        // The attacked users are drawn before the clean replay, so that it reports their clean ranks.
        var plan: AttackPlan?
        if attack {
            var attackOptions = AttackPlan.Options()
            attackOptions.usersPerCutoff = attackUsers
            attackOptions.maxReactions = attackMaxReactions
            attackOptions.seed = attackSeed
            attackOptions.reportAccountAges = !attackWithoutAccountAges
            plan = AttackPlan.make(log: log, cutoffs: options.cutoffs, options: attackOptions)
            options.attackedUsers = plan?.targets ?? [:]
        }
        let replayProgress = noProgress ? nil : StepProgress("resonance evaluate: replaying")
        let result: EvaluationResult
        do {
            result = try Evaluation.run(
                log: log, configuration: configuration.model, options: options, wallClock: WallClock.system.now(),
                progress: replayProgress.map { progress in { progress.report($0, of: $1) } })
        } catch let error as EvaluationError {
            throw ValidationError(error.message)
        }

        if !result.cutoffs.isEmpty { print(EvaluationReport.text(result, k: k), terminator: "") }
        var topicReport: String?
        if byTopic {
            if log.topicNames.isEmpty { writeError("resonance evaluate: no post in the input carries topics; nothing to evaluate by topic\n") }
            topicReport = EvaluationReport.topicMarkdown(result, k: k)
            print("\nBy topic (\(log.topicNames.count) topics in the data):\n" + topicReport!, terminator: "")
        }
        var attackComparison: String?
        if let plan {
            let attackedLog = log.injecting(plan)
            var attackedOptions = options
            attackedOptions.timelineUsers = 0
            writeError("resonance evaluate: \(plan.events.count) attack events on \(plan.targets.values.map(\.count).reduce(0, +)) users; replaying again\n")
            let attacked: EvaluationResult
            do {
                replayProgress?.restart()
                attacked = try Evaluation.run(
                    log: attackedLog, configuration: configuration.model, options: attackedOptions, wallClock: WallClock.system.now(),
                    progress: replayProgress.map { progress in { progress.report($0, of: $1) } })
            } catch let error as EvaluationError {
                throw ValidationError(error.message)
            }
            let ages = attackWithoutAccountAges ? "without account ages" : "with account ages reported"
            print("\nAttacked (\(attackUsers) users per cutoff with 1–\(attackMaxReactions) reactions before it, seed \(attackSeed), \(ages)):")
            print(EvaluationReport.text(attacked, k: k), terminator: "")
            let comparison = EvaluationReport.attackComparison(clean: result, attacked: attacked, k: k)
            print("\nClean against attacked:\n" + comparison, terminator: "")
            attackComparison = "\n### Attacked (\(attackUsers) users per cutoff, \(ages))\n\n" + comparison
        }
        let distribution = result.distribution
        print(String(
            format: "score distribution: %d users with ≥1 reaction, each right after the last reaction received: mean %.1f, p95 %.1f",
            distribution.count, distribution.mean, distribution.p95))
        if let span = result.timeSpan {
            print("data: \(EvaluationReport.format(time: span.lowerBound)) to \(EvaluationReport.format(time: span.upperBound)); "
                + "\(result.eventsReplayed) events replayed, \(result.eventsRejected) rejected by the processor")
        }
        if let report {
            var text = EvaluationReport.markdown(result, k: k)
            text += String(format: "- Score distribution: %d users, mean %.1f, p95 %.1f.\n", distribution.count, distribution.mean, distribution.p95)
            if let topicReport { text += "\n### By topic\n\n" + topicReport }
            if let attackComparison { text += attackComparison }
            try Data(text.utf8).write(to: URL(fileURLWithPath: report))
        }
        if let images {
            let directory = URL(fileURLWithPath: images)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let name = title ?? URL(fileURLWithPath: paths[0]).lastPathComponent
            let histogram = SVGChart.histogram(
                distribution,
                title: String(format: "%@: scores after each user's last reaction (mean %.1f, p95 %.1f)", name, distribution.mean, distribution.p95))
            try Data(histogram.utf8).write(to: directory.appendingPathComponent("score-histogram.svg"))
            let timelines = SVGChart.timelines(result.timelines, title: "\(name): scores over event time")
            try Data(timelines.utf8).write(to: directory.appendingPathComponent("score-timelines.svg"))
            print("images: \(directory.appendingPathComponent("score-histogram.svg").path), \(directory.appendingPathComponent("score-timelines.svg").path)")
        }
        writeError(String(format: "resonance evaluate: %.1f s\n", started.duration(to: .now).seconds))
        if !result.cutoffs.isEmpty && result.cutoffs.allSatisfy({ $0.evaluatedUsers == 0 }) {
            throw ValidationError("no user received a reaction before any cutoff; choose later cutoffs")
        }
    }
}

/// Progress and warnings go to standard error, so that standard output is only the report.
func writeError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}
