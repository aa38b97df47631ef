#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where the pages of paged tables live: carved from 2 MiB-aligned slabs that are advised for
/// transparent huge pages, so that the state's random reads cost one TLB entry per 2 MiB.
///
/// Why not malloc: a partition's state is hundreds of MB read at random, and with 4 KiB pages
/// nearly every access is also a TLB miss (under a hypervisor, a two-dimensional page walk, and
/// only a few walks run at once, which also limits how many misses reading ahead can overlap).
/// glibc puts pages of 256 KiB in mappings of their own or in a thread arena, and neither gets
/// huge pages on a kernel whose THP mode is `madvise` (`AnonHugePages` in smaps shows almost none).
///
/// Freed pages go to a free list for their size and are reused by the next page of that size
/// (the copies snapshots and readers cause are freed and made again at the same sizes); slabs are
/// never returned to the system. Thread-safe: pages are freed on whichever thread drops the last
/// copy that shares them.
final class PageMemory: Sendable {
    static let shared = PageMemory()

    /// Bytes reserved at a time; pages are carved from the current slab.
    static let slabBytes = 32 << 20
    /// The huge page size slabs are aligned to.
    static let hugePageBytes = 2 << 20
    /// Page sizes are rounded up to this, so every page is cache-line aligned.
    static let granule = 64

    /// Addresses as integers: the lock's state must be `Sendable`.
    private struct Slabs {
        var free: [Int: [UInt]] = [:]
        var next: UInt = 0
        var remaining = 0
    }

    private let slabs = Mutex(Slabs())

    /// Memory for `byteCount` bytes, 64-byte aligned, uninitialized.
    func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let size = Self.rounded(byteCount)
        if size > Self.slabBytes / 4 { return Self.map(size) }
        let address = slabs.withLock { slabs in
            if let reused = slabs.free[size]?.popLast() { return reused }
            if slabs.remaining < size {
                slabs.next = UInt(bitPattern: Self.map(Self.slabBytes))
                slabs.remaining = Self.slabBytes
            }
            let start = slabs.next
            slabs.next = start + UInt(size)
            slabs.remaining -= size
            return start
        }
        return UnsafeMutableRawPointer(bitPattern: address)!
    }

    /// Gives back memory from ``allocate(byteCount:)`` with the same `byteCount`.
    func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        let size = Self.rounded(byteCount)
        if size > Self.slabBytes / 4 {
            Self.unmap(pointer, size)
            return
        }
        let address = UInt(bitPattern: pointer)
        slabs.withLock { slabs in slabs.free[size, default: []].append(address) }
    }

    private static func rounded(_ byteCount: Int) -> Int {
        Swift.max(granule, (byteCount + granule - 1) & ~(granule - 1))
    }

    #if os(Linux)
    /// A fresh anonymous mapping of `size` bytes (rounded up to whole huge pages), aligned to a
    /// huge page and advised for huge pages.
    private static func map(_ size: Int) -> UnsafeMutableRawPointer {
        let length = wholeHugePages(size)
        let reserved = length + hugePageBytes
        guard let raw = mmap(nil, reserved, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), raw != MAP_FAILED else {
            fatalError("out of memory: mmap of \(reserved) bytes failed (errno \(errno))")
        }
        let address = UInt(bitPattern: raw)
        let aligned = (address + UInt(hugePageBytes - 1)) & ~UInt(hugePageBytes - 1)
        let head = Int(aligned - address)
        if head > 0 { munmap(raw, head) }
        let tail = reserved - head - length
        if tail > 0 { munmap(UnsafeMutableRawPointer(bitPattern: aligned + UInt(length)), tail) }
        let start = UnsafeMutableRawPointer(bitPattern: aligned)!
        // Only advice: where the kernel has no huge page to give, it backs the range with small ones.
        _ = madvise(start, length, MADV_HUGEPAGE)
        return start
    }

    private static func unmap(_ pointer: UnsafeMutableRawPointer, _ size: Int) {
        munmap(pointer, wholeHugePages(size))
    }

    /// `size` rounded up to whole huge pages: what ``map(_:)`` maps for it.
    private static func wholeHugePages(_ size: Int) -> Int {
        (size + hugePageBytes - 1) & ~(hugePageBytes - 1)
    }
    #else
    private static func map(_ size: Int) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer.allocate(byteCount: size, alignment: hugePageBytes)
    }

    private static func unmap(_ pointer: UnsafeMutableRawPointer, _ size: Int) {
        pointer.deallocate()
    }
    #endif
}

/// One page of a ``PagedArray``: `count` elements in ``PageMemory``. Shared between copies of the
/// array until one of them writes to it (the array copies it first: copy on write).
final class PageStorage<Element: BitwiseCopyable>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    let count: Int

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Element> {
        PageMemory.shared.allocate(byteCount: count * MemoryLayout<Element>.stride)
            .bindMemory(to: Element.self, capacity: count)
    }

    /// A page of `count` copies of `filler`.
    init(repeating filler: Element, count: Int) {
        self.count = count
        base = Self.allocate(count)
        base.initialize(repeating: filler, count: count)
    }

    /// A copy of `other`.
    init(copying other: PageStorage) {
        count = other.count
        base = Self.allocate(count)
        base.initialize(from: other.base, count: count)
    }

    /// A page whose `count` elements `initialize` writes, every byte of them, from the start of
    /// the raw memory it is given.
    init(count: Int, initializingWith initialize: (UnsafeMutableRawPointer) -> Void) {
        self.count = count
        base = Self.allocate(count)
        initialize(UnsafeMutableRawPointer(base))
    }

    deinit {
        PageMemory.shared.deallocate(UnsafeMutableRawPointer(base), byteCount: count * MemoryLayout<Element>.stride)
    }

    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count * MemoryLayout<Element>.stride))
    }

    /// Writable bytes; only for a page its array holds uniquely (``PagedArray/withUnsafeMutableBytes(ofPage:_:)``).
    func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: base, count: count * MemoryLayout<Element>.stride))
    }
}
