import Foundation

extension DatasetConverter {
    /// The topics of every cascade in the Twitter15/16 `source_tweets.txt` files at `paths`
    /// (``SourceTweetTopics``); a file that cannot be read or parsed throws, naming it.
    public static func cascadeTopics(fromFiles paths: [String]) throws -> [String: [String]] {
        var topics: [String: [String]] = [:]
        for path in paths {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw DatasetError(line: 0, "cannot read the source tweets file \(path): \(error.localizedDescription)")
            }
            do {
                topics.merge(try SourceTweetTopics.parse(text)) { first, _ in first }
            } catch {
                throw DatasetError(line: error.line, "\(path): \(error.message)")
            }
        }
        return topics
    }

    /// Converts the rows of the files at `paths` (a `.gz` is decompressed) into contract-v1 events,
    /// in file order. A row the converter rejects is passed to `rejected` with its file, and
    /// conversion goes on: bad rows never stop a load. `cascadeTopics` as in ``init(format:mapping:limits:cascadeTopics:)``.
    public static func events(
        fromFiles paths: [String], format: DatasetFormat, mapping: ColumnMapping, cascadeTopics: [String: [String]] = [:],
        rejected: (_ path: String, _ error: any Error) -> Void
    ) throws -> [EncodedEvent] {
        var events: [EncodedEvent] = []
        for path in paths {
            var converter = DatasetConverter(format: format, mapping: mapping, cascadeTopics: cascadeTopics)
            let reader = try LineReader(path: path)
            try reader.forEachLine { line in
                do {
                    try converter.convert(line: Substring(decoding: line, as: UTF8.self), number: reader.lineNumber, into: &events)
                } catch {
                    rejected(path, error)
                }
            }
        }
        return events
    }
}
