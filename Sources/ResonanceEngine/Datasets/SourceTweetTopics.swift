import ResonanceModel

/// The topics of Twitter15/16 cascades, read from the data set's `source_tweets.txt` files (one
/// line per source tweet: its id, a tab, its text): the hashtags of each source tweet, lowercased,
/// each once, at most ``TopicList``'s eight.
///
/// Those files are not in this repository (data/README.md says where they come from); with them,
/// `resonance produce --format twitter1516 --topics-from FILE` gives every post of a cascade its
/// source tweet's hashtags, so that reactions in the cascade credit topics.
public enum SourceTweetTopics {
    /// The hashtags of every source tweet in `text`, by tweet id; tweets without any are left out.
    /// A line that is not `id<TAB>text` throws ``DatasetError`` with its line number.
    public static func parse(_ text: String) throws(DatasetError) -> [String: [String]] {
        var topics: [String: [String]] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty { continue }
            guard let tab = line.firstIndex(of: "\t"), line[..<tab].allSatisfy(\.isNumber), tab > line.startIndex else {
                throw DatasetError(line: index + 1, "expected a tweet id, a tab and the tweet's text")
            }
            let tags = hashtags(in: line[line.index(after: tab)...])
            if !tags.isEmpty { topics[String(line[..<tab])] = tags }
        }
        return topics
    }

    /// The hashtags of a tweet's text: `#` then letters, digits or `_`, lowercased, each once, in
    /// order, at most eight, each at most 64 bytes.
    public static func hashtags(in text: String) -> [String] { hashtags(in: text[...]) }

    /// ``hashtags(in:)`` of part of a line.
    public static func hashtags(in text: Substring) -> [String] {
        var tags: [String] = []
        var rest = text[...]
        while let mark = rest.firstIndex(of: "#") {
            let body = rest[rest.index(after: mark)...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            rest = rest[body.endIndex...]
            let tag = body.lowercased()
            guard !tag.isEmpty, !tag.allSatisfy(\.isNumber), tag.utf8.count <= 64, !tags.contains(tag) else { continue }
            tags.append(tag)
            if tags.count == TopicList.capacity { break }
        }
        return tags
    }
}
