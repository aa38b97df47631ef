/// Turns the lines of an input file into contract-v1 events with the right keys.
///
/// Feed it every line in order, the header first (every format but `jsonl` has one). Rows that
/// cannot become events throw ``DatasetError`` with the line number; the caller reports them and
/// goes on, so one bad row loses nothing else.
public struct DatasetConverter {
    /// The format being read.
    public let format: DatasetFormat
    private let mapping: ColumnMapping
    private let decoder: EventDecoder
    private var columnIndex: [String: Int] = [:]
    private var headerSeen = false
    private var postsSeen: Set<String> = []
    /// twitter1516: the topics of each cascade, by root tweet id (``SourceTweetTopics``).
    private let cascadeTopics: [String: [String]]

    /// The columns of Twitter15/16 in data/ (see its README).
    static let twitterColumns = [
        "dataset", "root_tweet_id", "label", "parent_uid", "parent_tweet_id",
        "child_uid", "child_tweet_id", "delay_min", "event_unix_time", "kind",
    ]
    /// The columns of Klout's When-To-Post sample, without their leading '#'.
    static let kloutColumns = [
        "user_id_fingerprint", "actor_id_fingerprint", "post_id_fingerprint",
        "post_timestamp", "action_timestamp", "user_timezone",
    ]

    /// Creates a converter; `mapping` is used by the `csv` and `tsv` formats only, and
    /// `cascadeTopics` (topics by root tweet id) by `twitter1516` only: every post of a cascade
    /// carries its root's topics.
    public init(
        format: DatasetFormat, mapping: ColumnMapping = ColumnMapping(), limits: DecoderLimits = DecoderLimits(),
        cascadeTopics: [String: [String]] = [:]
    ) {
        self.format = format
        self.mapping = mapping
        self.decoder = EventDecoder(limits: limits)
        self.cascadeTopics = cascadeTopics
    }

    /// Converts line `number` (1-based) and appends its events (none for the header, two for a
    /// row that implies a post as well as a reaction).
    public mutating func convert(line rawLine: Substring, number: Int, into events: inout [EncodedEvent]) throws(DatasetError) {
        let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
        if line.isEmpty { return }
        switch format {
        case .jsonl:
            try convertJSONLine(line, number: number, into: &events)
        case .twitter1516:
            if !headerSeen { return try readHeader(line, number: number, separator: ",", expected: Self.twitterColumns) }
            try convertTwitterRow(fields(line, number: number, separator: ","), number: number, into: &events)
        case .kloutTwitter, .kloutFacebook:
            if !headerSeen { return try readHeader(line, number: number, separator: "\t", expected: Self.kloutColumns) }
            try convertKloutRow(fields(line, number: number, separator: "\t"), number: number, into: &events)
        case .csv, .tsv:
            let separator: Character = format == .csv ? "," : "\t"
            if !headerSeen { return try readHeader(line, number: number, separator: separator, expected: nil) }
            try convertMappedRow(fields(line, number: number, separator: separator), number: number, into: &events)
        }
    }

    // MARK: Formats

    private mutating func convertJSONLine(_ line: Substring, number: Int, into events: inout [EncodedEvent]) throws(DatasetError) {
        let bytes = Array(line.utf8)
        let decoded: Result<(key: [UInt8], time: Int64), EventRejection> = bytes.withUnsafeBytes { value in
            Result { () throws(EventRejection) in
                let event = try decoder.decode(value, key: nil)
                return (Array(event.subject), event.time)
            }
        }
        switch decoded {
        case .success(let event): events.append(EncodedEvent(key: event.key, value: bytes, time: event.time))
        case .failure(let rejection): throw DatasetError(line: number, "not a valid v1 event: \(rejection)")
        }
    }

    private mutating func convertTwitterRow(_ row: [Substring], number: Int, into events: inout [EncodedEvent]) throws(DatasetError) {
        let topics = cascadeTopics.isEmpty ? [] : cascadeTopics[String(row[1])] ?? []
        let parent = String(row[3])
        let parentTweet = String(row[4])
        let child = String(row[5])
        let childTweet = String(row[6])
        let kind = String(row[9])
        guard let seconds = Int64(row[8]) else {
            throw DatasetError(line: number, "event_unix_time '\(row[8])' is not a whole number of seconds")
        }
        let time = seconds * 1000
        // The child tweet id, both users and the kind make a row unique; the 169 cascades that
        // appear in both Twitter15 and Twitter16 therefore repeat ids, and the processor keeps one.
        let id = "\(childTweet)/\(child)/\(parent)/\(kind)"
        switch kind {
        case "source":
            events.append(EventJSON.post(id: id, network: "twitter", time: time, author: child, content: childTweet, topics: topics))
        case "same_tweet_id(retweet)":
            events.append(EventJSON.reaction(
                id: id, network: "twitter", time: time, action: "reshare", actor: child, target: parent, content: parentTweet))
        case "new_tweet_id(reply/retweet)":
            // The source cannot tell a reply from a quoting retweet; both are a response that is
            // also the child's own new tweet.
            events.append(EventJSON.reaction(
                id: id, network: "twitter", time: time, action: "reply", actor: child, target: parent, content: parentTweet))
            events.append(EventJSON.post(id: "\(id)/post", network: "twitter", time: time, author: child, content: childTweet, topics: topics))
        default:
            throw DatasetError(line: number, "unknown kind '\(kind)'; expected source, same_tweet_id(retweet) or new_tweet_id(reply/retweet)")
        }
    }

    private mutating func convertKloutRow(_ row: [Substring], number: Int, into events: inout [EncodedEvent]) throws(DatasetError) {
        let user = String(row[0])
        let actor = String(row[1])
        let post = String(row[2])
        guard let postTime = Int64(row[3]), let actionTime = Int64(row[4]) else {
            throw DatasetError(line: number, "post_timestamp and action_timestamp must be epoch milliseconds")
        }
        let network = format == .kloutTwitter ? "twitter" : "facebook"
        let action = format == .kloutTwitter ? "reshare" : "comment"
        // Each post appears once per reaction to it; emit it once.
        if postsSeen.insert(post).inserted {
            events.append(EventJSON.post(id: "klout-\(network):\(post)", network: network, time: postTime, author: user, content: post))
        }
        events.append(EventJSON.reaction(
            id: "klout-\(network):\(post):\(actor):\(actionTime)", network: network, time: actionTime,
            action: action, actor: actor, target: user, content: post))
    }

    private mutating func convertMappedRow(_ row: [Substring], number: Int, into events: inout [EncodedEvent]) throws(DatasetError) {
        func value(_ field: String) throws(DatasetError) -> String? {
            if let column = mapping.columns[field] {
                guard let index = columnIndex[column] else {
                    throw DatasetError(line: number, "the header has no column '\(column)' (mapped to '\(field)')")
                }
                let text = String(row[index])
                return text.isEmpty ? nil : text
            }
            return mapping.constants[field]
        }
        func required(_ field: String) throws(DatasetError) -> String {
            guard let text = try value(field) else {
                throw DatasetError(line: number, "no value for '\(field)': map it with --column \(field)=COLUMN or --set \(field)=VALUE")
            }
            return text
        }
        func integer(_ field: String) throws(DatasetError) -> Int64? {
            guard let text = try value(field) else { return nil }
            guard let number = Int64(text) else { throw DatasetError(line: number, "'\(field)' value '\(text)' is not an integer") }
            return number
        }
        guard let rawTime = try integer("time") else {
            throw DatasetError(line: number, "no value for 'time': map it with --column time=COLUMN")
        }
        let time = mapping.timeUnit == .seconds ? rawTime * 1000 : rawTime
        let id = try value("id") ?? "\(mapping.source):\(number)"
        let event: EncodedEvent
        switch mapping.kind {
        case .reaction:
            event = EventJSON.reaction(
                id: id, network: try required("network"), time: time, action: try required("action"),
                actor: try required("actor"), target: try required("target"), content: try value("content"))
        case .post:
            event = EventJSON.post(id: id, network: try required("network"), time: time, author: try required("author"), content: try required("content"))
        case .profile:
            event = EventJSON.profile(
                id: id, network: try required("network"), time: time, user: try required("user"),
                followers: try integer("followers") ?? 0, following: try integer("following") ?? 0, lists: try integer("lists"))
        case .undo:
            event = EventJSON.undo(
                id: id, undoes: try required("undoes"), network: try required("network"), time: time,
                action: try required("action"), actor: try required("actor"), target: try required("target"), content: try value("content"))
        case .erase:
            event = EventJSON.erase(id: id, time: time, user: try required("user"))
        }
        // Check the result against the contract, so a bad mapping fails here with the line number
        // rather than in the processor's dead-letter topic.
        let check: Result<Void, EventRejection> = event.value.withUnsafeBytes { bytes in
            Result { () throws(EventRejection) in _ = try decoder.decode(bytes, key: nil) }
        }
        if case .failure(let rejection) = check {
            throw DatasetError(line: number, "the mapped event is not valid: \(rejection)")
        }
        events.append(event)
    }

    // MARK: Lines

    private mutating func readHeader(_ line: Substring, number: Int, separator: Character, expected: [String]?) throws(DatasetError) {
        let names = try fields(line, number: number, separator: separator).map {
            String($0.hasPrefix("#") ? $0.dropFirst() : $0).trimmingSpaces()
        }
        if let expected, names != expected {
            throw DatasetError(line: number, "the header is \(names.joined(separator: String(separator))); \(format.rawValue) files start with \(expected.joined(separator: String(separator)))")
        }
        for (index, name) in names.enumerated() { columnIndex[name] = index }
        if expected == nil {
            for column in mapping.columns.values where columnIndex[column] == nil {
                throw DatasetError(line: number, "the header has no column '\(column)'; it has \(names.joined(separator: ", "))")
            }
        }
        headerSeen = true
    }

    private func fields(_ line: Substring, number: Int, separator: Character) throws(DatasetError) -> [Substring] {
        let row: [Substring]
        do {
            row = try DelimitedLine.split(line, separator: separator)
        } catch {
            throw DatasetError(line: number, "a quoted field is not closed on its line")
        }
        guard row.count == columnIndex.count || !headerSeen else {
            throw DatasetError(line: number, "\(row.count) fields where the header has \(columnIndex.count)")
        }
        return row
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
