import Foundation
import ResonanceEngine
import ResonanceModel
import Testing

/// The `resonance` executable run as a child process, for tests that must kill it (SIGKILL) or
/// run several instances at once.
public final class ResonanceProcess {
    /// The built executable: beside the test bundle, or in the package's .build/debug.
    public static let executable: URL? = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("resonance"),
            TestPaths.packageRoot.appendingPathComponent(".build/debug/resonance"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    public let process = Process()
    public let logPath: String

    /// Starts `resonance` with `arguments`, logging to `logPath`.
    public init(_ arguments: [String], logPath: String) throws {
        guard let executable = Self.executable else {
            throw ProcessError(message: "the resonance executable is not built (swift build builds it)")
        }
        self.logPath = logPath
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try log.seekToEnd()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    public func kill(_ signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end (up to `timeout`); returns its exit status.
    @discardableResult
    public func wait(timeout: Duration = .seconds(120)) throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(SIGKILL)
                throw ProcessError(message: "resonance did not exit within \(timeout); log: \(log)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return process.terminationStatus
    }

    public var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    public struct ProcessError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}

/// Every user's score in the newest snapshots of a state directory.
public func exportedScores(stateDirectory: String, configuration: ModelConfiguration = ModelConfiguration()) throws -> [String: Double] {
    let store = SnapshotStore(directory: stateDirectory)
    var scores: [String: Double] = [:]
    for partition in store.partitions() {
        let loaded = store.loadNewest(partition: partition, configuration: configuration) { problem in
            Issue.record("unusable snapshot: \(problem)")
        }
        let (snapshot, _) = try #require(loaded)
        snapshot.state.forEachTrackedUser { handle in
            scores[snapshot.state.userID(of: handle)!] = snapshot.state.score(of: handle)
        }
    }
    return scores
}

extension ResonanceProcess {
    /// What a piped run printed, and how it ended.
    public struct PipedRun {
        public var status: Int32
        public var output: String
        public var errors: String
    }

    /// Runs `resonance` with `arguments` to its end, `input` on standard input. `environment`
    /// entries replace (or, when nil, remove) variables of this process's environment.
    /// `beforeInput` sees the running process's id before any input is written.
    public static func pipe(
        _ arguments: [String], input: Data, environment: [String: String?] = [:],
        beforeInput: (Int32) throws -> Void = { _ in }
    ) throws -> PipedRun {
        let executable = try #require(executable, "the resonance executable is not built")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment
        for (name, value) in environment { variables[name] = value }
        process.environment = variables
        let standardInput = Pipe(), standardOutput = Pipe(), standardError = Pipe()
        process.standardInput = standardInput
        process.standardOutput = standardOutput
        process.standardError = standardError
        try process.run()
        do { try beforeInput(process.processIdentifier) } catch {
            process.terminate()
            process.waitUntilExit()
            throw error
        }
        standardInput.fileHandleForWriting.write(input)
        try standardInput.fileHandleForWriting.close()
        let output = String(decoding: standardOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: standardError.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return PipedRun(status: process.terminationStatus, output: output, errors: errors)
    }
}
