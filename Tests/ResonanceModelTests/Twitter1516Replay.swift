import Foundation
import ResonanceModel

/// The one place that maps the Twitter15/16 propagation trees (data/twitter1516_events.csv.gz)
/// to model events:
/// - `source` → a post by child_uid;
/// - `same_tweet_id(retweet)` → a `reshare` reaction, actor child_uid, target parent_uid;
/// - `new_tweet_id(reply/retweet)` → a `reply` reaction, actor child_uid, target parent_uid, plus a
///   post by child_uid (the child's own tweet);
/// - network `twitter`; time = event_unix_time · 1000; event id =
///   `<child_tweet_id>/<child_uid>/<parent_uid>/<kind>` (posts add `/post`), so the 169 cascades
///   present in both datasets are dropped as duplicates.
/// Rows are replayed in event-time order (ties in file order), as a live stream would deliver them.
struct Twitter1516Replay {
    /// One CSV row, as byte ranges into `bytes`.
    struct Row {
        var parent: Range<Int>?
        var child: Range<Int>
        var childTweet: Range<Int>
        var kind: Range<Int>
        var kindCode: UInt8  // 0 source, 1 retweet, 2 reply/retweet
        var time: Int64
    }

    let bytes: [UInt8]
    let rows: [Row]

    /// `<package root>/data/twitter1516_events.csv.gz`, found from this file's path.
    static var dataFile: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("data/twitter1516_events.csv.gz")
    }

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: dataFile.path) }

    /// Decompresses with `gzip -dc` and parses every row.
    static func load() throws -> Twitter1516Replay {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", dataFile.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Twitter1516Replay(bytes: [UInt8](data))
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
        var rows: [Row] = []
        rows.reserveCapacity(1_000_000)
        bytes.withUnsafeBufferPointer { buffer in
            var position = 0
            let end = buffer.count
            // Skip the header line.
            while position < end && buffer[position] != 10 { position += 1 }
            position += 1
            var fields: [Range<Int>] = []
            fields.reserveCapacity(10)
            while position < end {
                fields.removeAll(keepingCapacity: true)
                var start = position
                while position < end && buffer[position] != 10 {
                    if buffer[position] == 44 {
                        fields.append(start..<position)
                        start = position + 1
                    }
                    position += 1
                }
                fields.append(start..<position)
                position += 1
                guard fields.count == 10 else { continue }
                var seconds: Int64 = 0
                for index in fields[8] {
                    let digit = buffer[index]
                    if digit == 46 { break }
                    seconds = seconds * 10 + Int64(digit - 48)
                }
                let kind = fields[9]
                let kindCode: UInt8 = buffer[kind.lowerBound] == 115 && buffer[kind.lowerBound + 1] == 111 ? 0
                    : (buffer[kind.lowerBound] == 115 ? 1 : 2)
                let parent = fields[3]
                let isRoot = parent.count == 4 && buffer[parent.lowerBound] == 82
                rows.append(Row(parent: isRoot ? nil : parent, child: fields[5], childTweet: fields[6],
                                kind: kind, kindCode: kindCode, time: seconds * 1000))
            }
        }
        // Event-time order, ties in file order: one sort of packed (time, row number) keys, which
        // stays quick in debug builds. Times are in milliseconds below 2^42, row numbers below 2^20.
        let keys = rows.indices.map { (rows[$0].time << 20) | Int64($0) }.sorted()
        self.rows = keys.map { rows[Int($0 & 0xFFFFF)] }
    }

    /// Applies rows `range` (in time order) to `state`, feeding `sample` if given; returns the
    /// outcomes' counts by kind.
    @discardableResult
    func replay(
        into state: inout InfluenceState, rows range: Range<Int>? = nil, sample: UnsafeMutablePointer<CalibrationSample>? = nil
    ) -> [String: Int] {
        var outcomes: [String: Int] = [:]
        let twitter = state.internNetwork(named: "twitter")!
        let reshare = state.action(named: "reshare")!
        let reply = state.action(named: "reply")!
        var idBuffer: [UInt8] = []
        bytes.withUnsafeBytes { raw in
            func slice(_ r: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: raw[r]) }
            for row in rows[range ?? rows.indices] {
                idBuffer.removeAll(keepingCapacity: true)
                idBuffer.append(contentsOf: slice(row.childTweet))
                idBuffer.append(47)
                idBuffer.append(contentsOf: slice(row.child))
                idBuffer.append(47)
                if let parent = row.parent { idBuffer.append(contentsOf: slice(parent)) } else { idBuffer.append(contentsOf: Array("ROOT".utf8)) }
                idBuffer.append(47)
                idBuffer.append(contentsOf: slice(row.kind))
                let child = state.intern(userID: slice(row.child))!
                var outcome: ApplyOutcome
                if row.kindCode != 0, let parentRange = row.parent {
                    let parent = state.intern(userID: slice(parentRange))!
                    let id = idBuffer.withUnsafeBytes { StableHash.fnv1a64($0) }
                    let reaction = Reaction(idHash: id, time: row.time, network: twitter,
                                            action: row.kindCode == 1 ? reshare : reply, actor: child, target: parent)
                    outcome = state.applyAsWholeInput(.reaction(reaction))
                    sample?.pointee.observe(.reaction(reaction), outcome: outcome, in: state)
                    outcomes[Self.name(outcome), default: 0] += 1
                }
                if row.kindCode != 1 {
                    idBuffer.append(contentsOf: Array("/post".utf8))
                    let id = idBuffer.withUnsafeBytes { StableHash.fnv1a64($0) }
                    let contentHash = slice(row.childTweet).withUnsafeBytes { StableHash.fnv1a64($0) }
                    outcome = state.applyAsWholeInput(.post(Post(idHash: id, time: row.time, network: twitter, author: child, contentHash: contentHash)))
                    outcomes["post-" + Self.name(outcome), default: 0] += 1
                }
            }
        }
        return outcomes
    }

    static func name(_ outcome: ApplyOutcome) -> String {
        switch outcome {
        case .changed: return "changed"
        case .duplicate: return "duplicate"
        case .selfReactionIgnored: return "self"
        case .unmatchedUndo: return "unmatchedUndo"
        case .erased: return "erased"
        case .unknownUser: return "unknownUser"
        }
    }
}
