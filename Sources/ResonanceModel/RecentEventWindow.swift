/// The ids of the last `capacity` admitted events, each with its admission sequence number:
/// drops duplicate deliveries, and finds the reaction an `undo` names (its sequence number says
/// where its contribution is kept).
///
/// A hash table of buckets, each one cache line of five entries. An entry is live while its
/// sequence number is among the last `capacity`; an expired entry is simply reused, so eviction
/// costs nothing (no ring to walk, no deletion). That makes a first delivery one cache line:
/// the bucket the id hashes to. When every entry of a bucket is live, an insert moves on to the
/// next bucket and marks the full one with its own sequence number (`overflow`); a lookup goes on
/// past a bucket only while that mark is live, so an id is found exactly as long as it is among
/// the last `capacity` events, however crowded its bucket.
///
/// The table grows with the input: it starts at one page of buckets and doubles (rehashing the
/// entries) whenever the live entries reach two per bucket, until it reaches the size for
/// `capacity` events. A partition's memory follows its input, not its configured capacity (at the
/// default capacity the full table is 32 MB, and an instance may own many quiet partitions).
/// Every entry is live while it grows (the full table's 2 entries per bucket is fewer than
/// `capacity`), and what is found does not depend on the table's size.
///
/// Sequence numbers are kept as their low 31 bits: `capacity` is at most 2^30, so the live ones
/// are told apart exactly. (An entry left untouched for 2^31 further events would look live
/// again; its bucket would have to receive no insert in that time, which at any useful capacity
/// does not happen.)
struct RecentEventWindow: Sendable {
    /// Five entries and the overflow mark: 64 bytes, no padding.
    struct Bucket: BitwiseCopyable, Equatable {
        /// Keys (event-id hashes, 0 folded onto 1); 0 marks an entry never used.
        var key0: UInt64 = 0
        var key1: UInt64 = 0
        var key2: UInt64 = 0
        var key3: UInt64 = 0
        var key4: UInt64 = 0
        /// Low 31 bits of each key's sequence number.
        var sequence0: UInt32 = 0
        var sequence1: UInt32 = 0
        var sequence2: UInt32 = 0
        var sequence3: UInt32 = 0
        var sequence4: UInt32 = 0
        /// Bit 31 set once an insert has passed this bucket full; bits 0…30, the low 31 bits of
        /// the last such insert's sequence number.
        var overflow: UInt32 = 0

        static let ways = 5

        @inline(__always)
        func key(_ way: Int) -> UInt64 {
            switch way {
            case 0: key0
            case 1: key1
            case 2: key2
            case 3: key3
            default: key4
            }
        }

        @inline(__always)
        func sequence(_ way: Int) -> UInt32 {
            switch way {
            case 0: sequence0
            case 1: sequence1
            case 2: sequence2
            case 3: sequence3
            default: sequence4
            }
        }

        @inline(__always)
        mutating func set(_ way: Int, key: UInt64, sequence: UInt32) {
            switch way {
            case 0: key0 = key; sequence0 = sequence
            case 1: key1 = key; sequence1 = sequence
            case 2: key2 = key; sequence2 = sequence
            case 3: key3 = key; sequence3 = sequence
            default: key4 = key; sequence4 = sequence
            }
        }
    }

    /// How many recent events are remembered.
    let capacity: Int
    /// The bucket count for `capacity` live entries, where growing stops.
    let fullBucketCount: Int
    var buckets: PagedArray<Bucket>
    /// Events admitted so far: the next sequence number.
    var admitted: UInt64 = 0
    /// The admission count at which the table doubles next (`.max` once it is full size).
    private var nextGrowth: UInt64 = .max

    /// Buckets per page, and the size a table starts at (256 KB).
    static let pageShift = 12

    init(capacity: Int) {
        precondition(capacity >= 1 && capacity <= 1 << 30)
        self.capacity = capacity
        // About two live entries per bucket of five: a bucket is full (and an insert moves on to
        // the next line) for about one insert in twenty.
        var count = 1
        while count * 2 < capacity { count <<= 1 }
        fullBucketCount = count
        buckets = PagedArray(
            pageShift: Self.pageShift, filler: Bucket(), count: Swift.min(count, 1 << Self.pageShift))
        nextGrowth = growthPoint()
    }

    /// When a table of the current size doubles: at two live entries per bucket.
    private func growthPoint() -> UInt64 {
        buckets.count < fullBucketCount ? UInt64(2 * buckets.count) : .max
    }

    /// Takes `count` buckets read from a snapshot: a power of two up to the full size (a state
    /// written before tables grew has the full size). Grows them if `admitted` says the table
    /// should be larger. Returns false for an impossible count.
    mutating func adopt(_ stored: PagedArray<Bucket>) -> Bool {
        guard stored.count >= 1, stored.count & (stored.count - 1) == 0, stored.count <= fullBucketCount else { return false }
        buckets = stored
        nextGrowth = growthPoint()
        while admitted >= nextGrowth { grow() }
        return true
    }

    /// Doubles the table and puts every entry back (all are live: see the type's comment). The
    /// entries are set aside and the table is cleared and lengthened where it is: a new table
    /// would leave the old one's pages in ``PageMemory``'s free list, where no other page of
    /// their size would take them (48 MB per partition resident for nothing at the full sizes).
    private mutating func grow() {
        var entries: [(key: UInt64, sequence: UInt32)] = []
        entries.reserveCapacity(Int(Swift.min(admitted, UInt64(capacity))))
        for index in 0..<buckets.count {
            let bucket = buckets[index]
            for way in 0..<Bucket.ways where bucket.key(way) != 0 && isLive(bucket.sequence(way), admitted: admitted) {
                entries.append((bucket.key(way), bucket.sequence(way)))
            }
        }
        buckets.clear()
        buckets.resize(to: buckets.count * 2)
        nextGrowth = growthPoint()
        let mask = buckets.count - 1
        for (key, sequence) in entries {
            var position = home(key)
            while true {
                if let free = (0..<Bucket.ways).first(where: { buckets[position].key($0) == 0 }) {
                    buckets[position].set(free, key: key, sequence: sequence)
                    break
                }
                // Passed full: lookups must go on past this bucket while the newest entry that
                // passed it is live (entries come back in bucket order, not in the order they
                // were admitted).
                let mark = buckets[position].overflow
                if mark & RecentEventWindow.overflowedBit == 0
                    || age(sequence, admitted: admitted) < age(mark & RecentEventWindow.sequenceMask, admitted: admitted)
                {
                    buckets[position].overflow = RecentEventWindow.overflowedBit | sequence
                }
                position = (position + 1) & mask
            }
        }
    }

    /// Ids are stored non-zero (0 marks empty): id 0 is folded onto 1, a 2^-64 chance of a false match.
    @inline(__always)
    static func key(_ id: UInt64) -> UInt64 { id == 0 ? 1 : id }

    @inline(__always)
    func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: StableHash.mix(key)) & (buckets.count - 1) }

    static let sequenceMask: UInt32 = 0x7FFF_FFFF
    static let overflowedBit: UInt32 = 0x8000_0000

    /// How many events ago a stored sequence number was admitted, counting from `admitted`
    /// events (1 for the last one; a live entry is at most `capacity` ago).
    @inline(__always)
    private func age(_ sequence: UInt32, admitted: UInt64) -> UInt32 {
        (UInt32(truncatingIfNeeded: admitted) &- sequence) & RecentEventWindow.sequenceMask
    }

    /// Whether a stored sequence number is among the last `capacity` of `admitted` events.
    @inline(__always)
    private func isLive(_ sequence: UInt32, admitted: UInt64) -> Bool {
        age(sequence, admitted: admitted) &- 1 < UInt32(capacity)
    }

    /// The sequence number of `id` if it is among the last `capacity` events.
    func sequence(of id: UInt64) -> UInt64? {
        let key = RecentEventWindow.key(id)
        let mask = buckets.count - 1
        var position = home(key)
        while true {
            let bucket = buckets[position]
            for way in 0..<Bucket.ways where bucket.key(way) == key && isLive(bucket.sequence(way), admitted: admitted) {
                return admitted - UInt64(age(bucket.sequence(way), admitted: admitted))
            }
            guard sendsLookupOn(bucket) else { return nil }
            position = (position + 1) & mask
        }
    }

    /// Whether `bucket` holds `key` among the live entries.
    @inline(__always)
    private func holdsLive(_ key: UInt64, in bucket: Bucket) -> Bool {
        for way in 0..<Bucket.ways where bucket.key(way) == key && isLive(bucket.sequence(way), admitted: admitted) {
            return true
        }
        return false
    }

    /// Whether a lookup must go on past `bucket`: an insert passed it full while some of the
    /// live entries were admitted.
    @inline(__always)
    private func sendsLookupOn(_ bucket: Bucket) -> Bool {
        let overflow = bucket.overflow
        return overflow & RecentEventWindow.overflowedBit != 0 && isLive(overflow & RecentEventWindow.sequenceMask, admitted: admitted)
    }

    /// The first entry of `bucket` an insert may take: unused, or out of the window once this
    /// insert is admitted.
    @inline(__always)
    private func freeWay(in bucket: Bucket) -> Int? {
        for way in 0..<Bucket.ways where bucket.key(way) == 0 || !isLive(bucket.sequence(way), admitted: admitted + 1) {
            return way
        }
        return nil
    }

    /// Admits `id` unless it is among the last `capacity` events; returns its sequence number, or
    /// nil for a duplicate.
    ///
    /// One walk does both the lookup of ``sequence(of:)`` and the search for a free entry, so a
    /// first delivery reads its bucket once; nothing is written until the lookup has ended.
    mutating func admit(_ id: UInt64) -> UInt64? {
        if admitted >= nextGrowth { grow() }
        let key = RecentEventWindow.key(id)
        let sequence = UInt32(truncatingIfNeeded: admitted) & RecentEventWindow.sequenceMask
        let start = home(key)
        // Nearly always the home bucket settles it (the lookup ends there, and it has a free
        // entry): checked first, without the walk's bookkeeping.
        let homeBucket = buckets[start]
        if holdsLive(key, in: homeBucket) { return nil }
        if !sendsLookupOn(homeBucket), let way = freeWay(in: homeBucket) {
            buckets[start].set(way, key: key, sequence: sequence)
            admitted += 1
            return admitted - 1
        }
        let mask = buckets.count - 1
        var position = start
        var lookingUp = true
        // The first bucket from home with a free entry, and that entry.
        var insertBucket = -1
        var insertWay = 0
        while true {
            let bucket = buckets[position]
            if lookingUp {
                if holdsLive(key, in: bucket) { return nil }
                lookingUp = sendsLookupOn(bucket)
            }
            if insertBucket < 0, let way = freeWay(in: bucket) {
                insertBucket = position
                insertWay = way
            }
            if !lookingUp && insertBucket >= 0 { break }
            position = (position + 1) & mask
        }
        // Every bucket passed on the way to the free entry was full: mark it, so that lookups
        // go on past it while this id is live.
        position = start
        while position != insertBucket {
            buckets[position].overflow = RecentEventWindow.overflowedBit | sequence
            position = (position + 1) & mask
        }
        buckets[insertBucket].set(insertWay, key: key, sequence: sequence)
        admitted += 1
        return admitted - 1
    }
}
