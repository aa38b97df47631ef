import CPrefetch

/// A growable array stored as fixed-size pages, each page a ``PageStorage`` in ``PageMemory``
/// (huge pages where the system has them).
///
/// Copying a `PagedArray` copies only the outer array of page references: O(pages), not
/// O(elements). After a copy, a write copies only the one page it touches. That is what lets the
/// engine take a snapshot of a 10,000,000-user state in milliseconds on the ingest thread and
/// serialize it on another while ingestion goes on. Elements are bitwise-copyable so that pages
/// serialize as raw bytes; element types are laid out without padding so those bytes are
/// deterministic.
struct PagedArray<Element: BitwiseCopyable>: @unchecked Sendable {
    /// Elements per page, as a power of two.
    let pageShift: Int
    /// The value new pages are filled with.
    let filler: Element
    /// The pages; every page is full-size, elements past `count` hold `filler`.
    var pages: [PageStorage<Element>] = []
    /// Elements in use.
    internal(set) var count: Int = 0

    init(pageShift: Int, filler: Element) {
        self.pageShift = pageShift
        self.filler = filler
    }

    /// An array of `count` copies of `filler`.
    init(pageShift: Int, filler: Element, count: Int) {
        self.init(pageShift: pageShift, filler: filler)
        resize(to: count)
    }

    var pageSize: Int { 1 << pageShift }

    @inline(__always)
    subscript(index: Int) -> Element {
        get { pages[index &>> pageShift].base[index & (pageSize &- 1)] }
        _modify {
            let page = index &>> pageShift
            makeUnique(page)
            yield &pages[page].base[index & (pageSize &- 1)]
        }
    }

    /// Asks the CPU to start loading the cache lines of element `index` (both, for an element
    /// that straddles two); changes nothing. See InfluenceState+ReadAhead.swift.
    @inline(__always)
    func prefetch(_ index: Int) {
        let address = UnsafeRawPointer(pages[index &>> pageShift].base + (index & (pageSize &- 1)))
        resonance_prefetch(address)
        // Pages are 64-byte aligned, so an element whose size divides 64 never straddles lines;
        // others get every further line they cover.
        let stride = MemoryLayout<Element>.stride
        guard 64 % stride != 0 else { return }
        var line = (Int(bitPattern: address) & ~63) + 64
        while line < Int(bitPattern: address) + stride {
            resonance_prefetch(UnsafeRawPointer(bitPattern: line))
            line += 64
        }
    }

    /// Copies page `page` first if another copy of the array shares it (copy on write).
    @inline(__always)
    mutating func makeUnique(_ page: Int) {
        if !isKnownUniquelyReferenced(&pages[page]) { pages[page] = PageStorage(copying: pages[page]) }
    }

    /// Calls `body` with elements `index..<index + length`, which lie in one page and in use,
    /// writable (the page is made unique first): a hash bucket costs one page lookup and one
    /// uniqueness check, not one per access. The pointer must not escape `body`, and `body` must
    /// not touch this array otherwise.
    @inline(__always)
    mutating func withMutableRun<R>(at index: Int, length: Int, _ body: (UnsafeMutablePointer<Element>) -> R) -> R {
        let page = index &>> pageShift
        let offset = index & (pageSize &- 1)
        precondition(offset + length <= pageSize, "a run must not cross pages")
        assert(index >= 0 && index + length <= count, "a run must lie within the elements in use")
        makeUnique(page)
        return body(pages[page].base + offset)
    }

    /// Calls `body` with page `page`'s bytes, writable (the page is made unique first).
    mutating func withUnsafeMutableBytes<R>(ofPage page: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        makeUnique(page)
        return try pages[page].withUnsafeMutableBytes(body)
    }

    /// Appends an element and returns its index.
    @discardableResult
    mutating func append(_ element: Element) -> Int {
        let index = count
        if index & (pageSize - 1) == 0 && index >> pageShift == pages.count {
            pages.append(PageStorage(repeating: filler, count: pageSize))
        }
        count += 1
        self[index] = element
        return index
    }

    /// Grows (with `filler`) or shrinks to `newCount` elements.
    mutating func resize(to newCount: Int) {
        let neededPages = (newCount + pageSize - 1) >> pageShift
        while pages.count < neededPages { pages.append(PageStorage(repeating: filler, count: pageSize)) }
        if pages.count > neededPages { pages.removeLast(pages.count - neededPages) }
        count = newCount
    }

    /// Whether `predicate` holds for every element in use (with its index), scanning page by page
    /// without per-element page lookups (for whole-state checks after a restore).
    func allSatisfy(_ predicate: (Int, Element) -> Bool) -> Bool {
        var index = 0
        for page in pages where index < count {
            let holds = page.withUnsafeBufferPointer { buffer in
                for element in buffer[0..<Swift.min(pageSize, count - index)] {
                    if !predicate(index, element) { return false }
                    index += 1
                }
                return true
            }
            if !holds { return false }
        }
        return true
    }

    /// Sets every element, in use or not, to `filler`, writing the pages where they are (a page
    /// a copy shares is copied first, as by any write).
    mutating func clear() {
        for page in pages.indices {
            makeUnique(page)
            pages[page].base.update(repeating: filler, count: pageSize)
        }
    }

    /// Sets every element in use to `value`.
    mutating func fill(with value: Element) {
        for page in pages.indices {
            pages[page] = PageStorage(repeating: value, count: pageSize)
        }
    }
}
