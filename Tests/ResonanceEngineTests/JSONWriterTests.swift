import ResonanceEngine
import Testing

/// The writer behind every score change and every produced event: exact bytes.
@Suite("JSON writer")
struct JSONWriterTests {
    static func text(_ build: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        build(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test("numbers: rounding, zero-padded fractions, signs, no decimals, large values; integers at their limits")
    func numbers() {
        let cases: [(Double, Int, String)] = [
            (0, 2, "0.00"), (1, 2, "1.00"), (35.234, 2, "35.23"), (35.235001, 2, "35.24"), (0.05, 1, "0.1"),
            (0.001, 3, "0.001"), (0.0004, 3, "0.000"), (-0.004, 2, "0.00"), (-0.006, 2, "-0.01"), (-12.5, 1, "-12.5"),
            (-3, 0, "-3"), (99.999, 2, "100.00"), (123_456_789.123456, 6, "123456789.123456"), (7, 0, "7"),
        ]
        for (value, decimals, expected) in cases {
            #expect(Self.text { $0.number(value, decimals: decimals) } == expected, "\(value) to \(decimals)")
        }
        #expect(Self.text { $0.number(.nan, decimals: 2) } == "null")
        #expect(Self.text { $0.number(1e300, decimals: 2) } == "\(1e300)")
        #expect(Self.text { $0.integer(0) } == "0")
        #expect(Self.text { $0.integer(-42) } == "-42")
        #expect(Self.text { $0.integer(.max) } == "9223372036854775807")
        #expect(Self.text { $0.integer(.min) } == "-9223372036854775808")
    }

    @Test("objects and arrays: commas only between members, keys quoted, strings escaped")
    func structure() {
        let json = Self.text { writer in
            writer.beginObject()
            writer.key("v"); writer.integer(1)
            writer.key("score"); writer.number(-1.5, decimals: 2)
            writer.key(utf8: Array("net\"work".utf8)); writer.string("a\\b\n\u{1}")
            writer.key("list"); writer.beginArray()
            writer.integer(1); writer.number(2, decimals: 1); writer.boolean(false)
            writer.endArray()
            writer.key("a_key_longer_than_the_scratch_space_of_the_writer_by_far"); writer.boolean(true)
            writer.endObject()
        }
        #expect(json == #"{"v":1,"score":-1.50,"net\"work":"a\\b\n\u0001","list":[1,2.0,false],"a_key_longer_than_the_scratch_space_of_the_writer_by_far":true}"#)
    }
}
