import Dispatch
@testable import ResonanceModel
import Testing

/// The memory the paged tables' pages come from (huge-page slabs with free lists).
@Suite("Page memory")
struct PageMemoryTests {
    @Test("pages are cache-line aligned, hold what is written, and a freed page is reused for the next of its size")
    func alignmentAndReuse() {
        let memory = PageMemory()
        let first = memory.allocate(byteCount: 262_144)
        let second = memory.allocate(byteCount: 1_000)
        #expect(UInt(bitPattern: first) % 64 == 0 && UInt(bitPattern: second) % 64 == 0)
        // The first page of a fresh slab starts on a huge page.
        #expect(UInt(bitPattern: first) % UInt(PageMemory.hugePageBytes) == 0)
        first.initializeMemory(as: UInt8.self, repeating: 0xAB, count: 262_144)
        second.initializeMemory(as: UInt8.self, repeating: 0xCD, count: 1_000)
        #expect(first.load(fromByteOffset: 262_143, as: UInt8.self) == 0xAB)
        #expect(second.load(fromByteOffset: 999, as: UInt8.self) == 0xCD)
        // Pages from one slab do not overlap.
        #expect(second >= first + 262_144 || second + 1_024 <= first)
        memory.deallocate(first, byteCount: 262_144)
        #expect(memory.allocate(byteCount: 262_144) == first)
        // A size of its own class comes from the slab, not from another size's free list.
        memory.deallocate(second, byteCount: 1_000)
        #expect(memory.allocate(byteCount: 2_048) != second)
        // Larger than a quarter slab: a mapping of its own, returned on release.
        let large = memory.allocate(byteCount: 12 << 20)
        large.initializeMemory(as: UInt8.self, repeating: 1, count: 12 << 20)
        memory.deallocate(large, byteCount: 12 << 20)
    }

    @Test("threads allocating and freeing at once never get the same live page")
    func concurrentUse() {
        let memory = PageMemory()
        let threads = 4
        let pointer = UnsafeMutablePointer<UInt>.allocate(capacity: threads * 500)
        defer { pointer.deallocate() }
        // Each thread writes only its own stretch.
        nonisolated(unsafe) let live = pointer
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for round in 0..<500 {
                let page = memory.allocate(byteCount: 65_536)
                page.storeBytes(of: UInt64(thread * 1_000 + round), as: UInt64.self)
                if round % 2 == 0 {
                    #expect(page.load(as: UInt64.self) == UInt64(thread * 1_000 + round))
                    memory.deallocate(page, byteCount: 65_536)
                    (live + thread * 500 + round).initialize(to: 0)
                } else {
                    (live + thread * 500 + round).initialize(to: UInt(bitPattern: page))
                }
            }
        }
        let held = (0..<(threads * 500)).map { live[$0] }.filter { $0 != 0 }
        #expect(held.count == threads * 250)
        #expect(Set(held).count == held.count)
        for address in held {
            let page = UnsafeMutableRawPointer(bitPattern: address)!
            let value = page.load(as: UInt64.self)
            #expect(value % 1_000 % 2 == 1)
        }
    }
}
