import Foundation

/// Runs a program to completion without blocking the cooperative pool, with a deadline after
/// which it is terminated (a hung browser must fail the test, not hang the suite).
enum Subprocess {
    struct Result {
        var status: Int32
        var output: Data
        var error: Data
    }

    static func run(_ executable: String, _ arguments: [String], deadline: Duration = .seconds(120)) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        // Read both pipes on their own threads, so a chatty process never blocks on a full pipe.
        let collected = CollectedOutput()
        let readers = [(output, \CollectedOutput.output), (error, \CollectedOutput.error)].map { pipe, keyPath in
            let thread = Thread { collected.set(keyPath, pipe.fileHandleForReading.readDataToEndOfFile()) }
            return thread
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
                readers.forEach { $0.start() }
                let pid = process.processIdentifier
                DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(Int(deadline.components.seconds))) {
                    if process.isRunning { kill(pid, SIGKILL) }
                }
            } catch {
                continuation.resume(throwing: error)
            }
        }
        collected.waitForBoth()
        return Result(status: process.terminationStatus, output: collected.value(\.output), error: collected.value(\.error))
    }
}

/// What a subprocess wrote, filled by reader threads.
final class CollectedOutput: @unchecked Sendable {
    var output = Data()
    var error = Data()
    private let lock = NSCondition()
    private var done = 0

    func set(_ keyPath: ReferenceWritableKeyPath<CollectedOutput, Data>, _ data: Data) {
        lock.lock()
        self[keyPath: keyPath] = data
        done += 1
        lock.broadcast()
        lock.unlock()
    }

    func waitForBoth() {
        lock.lock()
        while done < 2 { lock.wait() }
        lock.unlock()
    }

    func value(_ keyPath: KeyPath<CollectedOutput, Data>) -> Data {
        lock.lock()
        defer { lock.unlock() }
        return self[keyPath: keyPath]
    }
}
