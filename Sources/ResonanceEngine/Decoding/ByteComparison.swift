#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension UnsafeRawBufferPointer {
    /// Byte equality through memcmp: the hot path compares keys, ids and names on every event,
    /// and the generic `elementsEqual` goes byte by byte through the iterator.
    @inline(__always)
    func equalBytes(_ other: UnsafeRawBufferPointer) -> Bool {
        count == other.count && (count == 0 || memcmp(baseAddress!, other.baseAddress!, count) == 0)
    }

    /// Byte equality with a static string.
    @inline(__always)
    func equalBytes(_ literal: StaticString) -> Bool {
        equalBytes(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}
