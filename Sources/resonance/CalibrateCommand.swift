import ArgumentParser
import Foundation
import ResonanceEngine
import ResonanceEvaluation
import ResonanceModel

/// `resonance calibrate`: fits the 1–100 scale's two constants to the operator's own data.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit the score scale so that your users' scores have a chosen mean and 95th percentile.",
        discussion: """
            Replays the input through the scorer (one partition, event-time order), takes every user who
            received a counted reaction, each right after the last reaction received, and fits
            scale_reference and scale_exponent so that their scores have the target mean and 95th
            percentile (by default Klout's 40 and 63). The Who factor reads actors' scores, so a new scale
            changes the raw values a little: it replays again with the fitted scale until neither constant
            moves by more than --tolerance. Prints the [model] lines to put in the configuration file
            (docs/SCORING.md, "Calibration"); exits 1 if the constants did not settle within --rounds.
            Example: resonance calibrate --format twitter1516 data/twitter1516_events.csv.gz
            """
    )

    @OptionGroup var dataset: DatasetInputOptions

    @Option(name: .long, help: "TOML configuration file whose [model] section is the model to calibrate (its scale is the first round's).")
    var config: String?

    @Option(name: .customLong("target-mean"), help: "The mean score to reach.")
    var targetMean: Double = 40

    @Option(name: .customLong("target-p95"), help: "The 95th-percentile score to reach.")
    var targetP95: Double = 63

    @Option(name: .long, help: "At most this many replays.")
    var rounds: Int = 6

    @Option(name: .long, help: "Stop when both constants change by less than this fraction between rounds.")
    var tolerance: Double = 0.005

    @Flag(name: .customLong("no-progress"), help: "No progress bar or progress lines while replaying.")
    var noProgress = false

    @Option(name: .long, help: "Also write the [model] lines to this file.")
    var output: String?

    func validate() throws {
        guard 1 < targetMean, targetMean < targetP95, targetP95 < 100 else {
            throw ValidationError("the targets must satisfy 1 < --target-mean < --target-p95 < 100")
        }
        guard rounds > 0 else { throw ValidationError("--rounds must be positive") }
        guard tolerance > 0, tolerance < 1 else { throw ValidationError("--tolerance must be between 0 and 1") }
    }

    func run() throws {
        let configuration = try ResonanceConfiguration.offline(file: config)
        let started = ContinuousClock.now
        let log = try dataset.load(reportingAs: "resonance calibrate")
        var options = Calibration.Options()
        options.targetMean = targetMean
        options.targetP95 = targetP95
        options.maximumRounds = rounds
        options.tolerance = tolerance
        let replayProgress = noProgress ? nil : StepProgress("resonance calibrate: replaying")
        let result: Calibration.Result
        do {
            result = try Calibration.run(
                log: log, configuration: configuration.model, options: options, wallClock: WallClock.system.now(),
                replayProgress: replayProgress.map { progress in { progress.report($0, of: $1) } }
            ) { round in
                replayProgress?.restart()
                writeError(String(
                    format: "resonance calibrate: with scale_reference %.6g, scale_exponent %.6g: %d users, mean %.2f, p95 %.2f; fitted %.6g, %.6g\n",
                    round.scale.reference, round.scale.exponent, round.distribution.count, round.distribution.mean,
                    round.distribution.p95, round.fitted.reference, round.fitted.exponent))
            }
        } catch let error as EvaluationError {
            throw ValidationError(error.message)
        }
        let lines = String(
            format: "# resonance calibrate: %d users with a counted reaction; target mean %g, p95 %g; %@ after %d round(s)\n[model]\nscale_reference = %.6g\nscale_exponent = %.6g\n",
            result.rounds.last!.distribution.count, targetMean, targetP95, result.settled ? "settled" : "NOT settled",
            result.rounds.count, result.scale.reference, result.scale.exponent)
        print(lines, terminator: "")
        if let output { try Data(lines.utf8).write(to: URL(fileURLWithPath: output)) }
        writeError(String(format: "resonance calibrate: %.1f s\n", started.duration(to: .now).seconds))
        if !result.settled {
            writeError("resonance calibrate: the constants still moved by more than \(tolerance) in the last round; raise --rounds\n")
            throw ExitCode(1)
        }
    }
}
