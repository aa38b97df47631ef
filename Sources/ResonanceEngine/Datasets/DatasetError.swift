/// A row of an input file that cannot be turned into an event, with where it is and why.
public struct DatasetError: Error, Sendable, CustomStringConvertible {
    /// 1-based line number in the file.
    public var line: Int
    /// What is wrong with it.
    public var message: String

    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
