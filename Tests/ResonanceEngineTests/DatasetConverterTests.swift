import Foundation
import ResonanceEngine
import Testing
import ResonanceTestSupport

@Suite("Datasets into v1 events")
struct DatasetConverterTests {
    func convert(_ format: DatasetFormat, _ lines: [String], mapping: ColumnMapping = ColumnMapping()) -> (events: [EncodedEvent], errors: [DatasetError]) {
        var converter = DatasetConverter(format: format, mapping: mapping)
        var events: [EncodedEvent] = []
        var errors: [DatasetError] = []
        for (index, line) in lines.enumerated() {
            do {
                try converter.convert(line: Substring(line), number: index + 1, into: &events)
            } catch {
                errors.append(error)
            }
        }
        return (events, errors)
    }

    func decoded(_ event: EncodedEvent) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(event.value)) as? [String: Any])
    }

    @Test("Twitter15/16 rows: a source is a post, a retweet a reshare, a new tweet a reply plus the child's post")
    func twitter() throws {
        let (events, errors) = convert(.twitter1516, [
            "dataset,root_tweet_id,label,parent_uid,parent_tweet_id,child_uid,child_tweet_id,delay_min,event_unix_time,kind",
            "twitter15,1,false,ROOT,ROOT,100,1,0.0,1352243179,source",
            "twitter15,1,false,100,1,200,1,0.5,1352243209,same_tweet_id(retweet)",
            "twitter15,1,false,100,1,300,7,0.9,1352243233,new_tweet_id(reply/retweet)",
            "twitter15,1,false,100,1,300,7,0.9,notatime,same_tweet_id(retweet)",
        ])
        #expect(errors.map(\.line) == [5])
        #expect(events.count == 4)
        let post = try decoded(events[0])
        #expect(post["kind"] as? String == "post" && post["author"] as? String == "100")
        #expect(events[0].key == Array("100".utf8))
        let reshare = try decoded(events[1])
        #expect(reshare["action"] as? String == "reshare" && reshare["actor"] as? String == "200" && reshare["target"] as? String == "100")
        #expect(reshare["time"] as? Int == 1_352_243_209_000)
        #expect(events[1].key == Array("100".utf8))
        #expect(try decoded(events[2])["action"] as? String == "reply")
        #expect(try decoded(events[3])["author"] as? String == "300")
    }

    @Test("with source tweets' hashtags, every post of a cascade carries its root's topics; reactions carry the content")
    func twitterTopics() throws {
        let sources = try SourceTweetTopics.parse("1\tbreaking: #MH17 down over #Ukraine #mh17 URL\n2\tno tags here\n")
        #expect(sources == ["1": ["mh17", "ukraine"]])
        var converter = DatasetConverter(format: .twitter1516, cascadeTopics: sources)
        var events: [EncodedEvent] = []
        for (index, line) in [
            "dataset,root_tweet_id,label,parent_uid,parent_tweet_id,child_uid,child_tweet_id,delay_min,event_unix_time,kind",
            "twitter15,1,false,ROOT,ROOT,100,1,0.0,1352243179,source",
            "twitter15,1,false,100,1,300,7,0.9,1352243233,new_tweet_id(reply/retweet)",
            "twitter15,2,false,ROOT,ROOT,400,2,0.0,1352243179,source",
        ].enumerated() {
            try converter.convert(line: Substring(line), number: index + 1, into: &events)
        }
        #expect(try decoded(events[0])["topics"] as? [String] == ["mh17", "ukraine"])
        #expect(try decoded(events[1])["content"] as? String == "1")
        #expect(try decoded(events[2])["topics"] as? [String] == ["mh17", "ukraine"], "a reply's own post is about its cascade")
        #expect(try decoded(events[3])["topics"] == nil)
    }

    @Test("hashtags: lowercased, each once, letters digits and underscores, at most eight; a line without a tab is an error naming it")
    func hashtags() throws {
        #expect(SourceTweetTopics.hashtags(in: "#Ferguson: #ferguson #MikeBrown, #2014 #_x #é #a-b #") == ["ferguson", "mikebrown", "_x", "é", "a"])
        #expect(SourceTweetTopics.hashtags(in: (0..<12).map { "#t\($0)" }.joined(separator: " ")).count == 8)
        #expect(SourceTweetTopics.hashtags(in: "#" + String(repeating: "x", count: 65)).isEmpty)
        do {
            _ = try SourceTweetTopics.parse("1\tfine #ok\nbroken line\n")
            Issue.record("a line without a tab was accepted")
        } catch {
            #expect(error.line == 2)
        }
    }

    @Test("the real Twitter15/16 file converts without a rejected row")
    func realTwitterFile() throws {
        let path = TestPaths.dataDirectory.appendingPathComponent("twitter1516_events.csv.gz").path
        let reader = try LineReader(path: path)
        var converter = DatasetConverter(format: .twitter1516)
        var events: [EncodedEvent] = []
        var rejected = 0
        var lines = 0
        try reader.forEachLine { line in
            lines += 1
            do { try converter.convert(line: Substring(decoding: line, as: UTF8.self), number: reader.lineNumber, into: &events) } catch { rejected += 1 }
        }
        #expect(lines == 987_995, "987,994 rows and the header (data/README.md)")
        #expect(rejected == 0)
        #expect(events.count == 987_994 + 118_666, "every row, plus a post for each new_tweet_id row")
    }

    @Test("Klout's sample: one post per post id, one reaction per row")
    func klout() throws {
        let (events, errors) = convert(.kloutFacebook, [
            "#user_id_fingerprint\t#actor_id_fingerprint\t#post_id_fingerprint\t#post_timestamp\t#action_timestamp\t#user_timezone",
            "9\t-7\t40\t1413331199002\t1413332041998\tEastern Standard Time",
            "9\t-4\t40\t1413331199002\t1413331941001\tEastern Standard Time",
        ])
        #expect(errors.isEmpty)
        #expect(events.count == 3)
        let reaction = try decoded(events[2])
        #expect(reaction["action"] as? String == "comment" && reaction["network"] as? String == "facebook")
        #expect(reaction["target"] as? String == "9" && reaction["actor"] as? String == "-4")
    }

    @Test("generic CSV: columns and constants map to fields, quotes are handled, a bad mapping names the line")
    func csvMapping() throws {
        var mapping = ColumnMapping()
        mapping.columns = ["actor": "who", "target": "whom", "time": "ts"]
        mapping.constants = ["network": "twitter", "action": "like"]
        mapping.timeUnit = .seconds
        mapping.source = "likes.csv"
        let (events, errors) = convert(.csv, [
            "who,whom,ts",
            #""Smith, J",bob,1600000000"#,
            "alice,,1600000001",
        ], mapping: mapping)
        #expect(events.count == 1)
        let like = try decoded(events[0])
        #expect(like["actor"] as? String == "Smith, J")
        #expect(like["id"] as? String == "likes.csv:2")
        #expect(like["time"] as? Int == 1_600_000_000_000)
        #expect(errors.count == 1 && errors[0].line == 3)
        #expect(errors.first?.message.contains("target") == true)
    }

    @Test("JSON lines are validated and keyed by their subject")
    func jsonLines() throws {
        let (events, errors) = convert(.jsonl, [
            #"{"v":1,"id":"a","kind":"post","network":"x","time":1600000000000,"author":"bob","content":"c"}"#,
            #"{"v":1,"id":"b","kind":"post"}"#,
        ])
        #expect(events.count == 1 && events[0].key == Array("bob".utf8))
        #expect(errors.count == 1 && errors[0].message.contains("missing_field"))
    }
}
