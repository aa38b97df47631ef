import Foundation

/// Paths the tests read, found from this file's location so they work from any clone.
enum TestPaths {
    /// The package root (the directory holding Package.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `shared/data/` beside the clone: the real data sets.
    static let sharedData = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")

    /// The project-local Python with jsonschema, installed by scripts/bootstrap.
    static let python = packageRoot.appendingPathComponent(".deps/venv/bin/python")
}
