import ArgumentParser
import ResonanceEngine
import ResonanceEvaluation

/// The data set a replaying command reads (`resonance evaluate`, `resonance calibrate`): files in
/// one of the formats `resonance produce` knows.
struct DatasetInputOptions: ParsableArguments {
    @Option(name: .long, help: "Input format: \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: String = "jsonl"

    @Option(name: .long, help: "Read events from this file (repeatable; the arguments are read too).")
    var input: [String] = []

    @Argument(help: "Input files ('.gz' is decompressed).")
    var files: [String] = []

    @Option(name: .customLong("topics-from"), help: "twitter1516: a source_tweets.txt file; each cascade's posts carry its source tweet's hashtags as topics (repeatable).")
    var topicsFrom: [String] = []

    /// Every file named, in order.
    var paths: [String] { input + files }

    func validate() throws {
        guard DatasetFormat(rawValue: format) != nil else {
            throw ValidationError("unknown --format '\(format)'; expected one of \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard !paths.isEmpty else { throw ValidationError("name an input file (--input FILE)") }
        if !topicsFrom.isEmpty && format != DatasetFormat.twitter1516.rawValue {
            throw ValidationError("--topics-from applies to --format twitter1516")
        }
    }

    /// Reads the files into a time-ordered log, telling the operator on standard error what was
    /// read and which rows were rejected (`command` prefixes each line, `then` ends the summary).
    func load(reportingAs command: String, then: String = "") throws -> EventLog {
        let log = try EventLog.load(
            paths: paths, format: DatasetFormat(rawValue: format)!, cascadeTopics: try DatasetConverter.cascadeTopics(fromFiles: topicsFrom))
        for rejection in log.rejections { writeError("\(command): \(rejection)\n") }
        writeError(
            "\(command): \(log.events.count) events, \(log.interactions.count) counted reactions, "
                + "\(log.userIDs.count) users, \(log.rejectedRows) rows rejected\(then)\n")
        return log
    }
}
