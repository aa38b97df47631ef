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
}
