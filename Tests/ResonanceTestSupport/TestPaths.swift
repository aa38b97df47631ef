import Foundation

/// Paths the tests read, found from this file's location so they work from any clone.
public enum TestPaths {
    /// The package root (the directory holding Package.swift).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `data/`: the real data sets the repository carries.
    public static let dataDirectory = packageRoot.appendingPathComponent("data")

    /// The project-local Python with jsonschema, installed by scripts/bootstrap.
    public static let python = packageRoot.appendingPathComponent(".deps/venv/bin/python")

    /// Runs `script` with that Python (`python -c script arguments…`, the package root first) and
    /// returns its exit status and standard output: the JSON Schema checks of the tests.
    public static func runPython(_ script: String, _ arguments: [String] = []) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", script, packageRoot.path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
