/// Byte serialization of a state: pure (no files), streamed in chunks, deterministic (the same
/// state always gives the same bytes). The engine adds its own header and checksum and writes the
/// file. Little-endian layout, as on every platform Swift runs the service on.
extension InfluenceState {
    static let magic: UInt32 = 0x4D4E_5352  // "RSNM" read little-endian
    /// 8: topics (names, the posts' topics, per-user topic slots; undo entries of 64 bytes).
    /// Earlier formats are not read: their states were built by an earlier model and are rebuilt
    /// by replay.
    static let formatVersion: UInt32 = 8

    /// Streams the state's bytes to `sink`, in chunks of at most a page (tens to hundreds of KB).
    ///
    /// Safe to call on a copy of the state on another thread while the original keeps ingesting:
    /// the copy shares pages until the original writes them.
    public func serialize(into sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        precondition(!isReadingCopy, "a copy made for reading lacks the dedupe window, undo log and pair memory")
        var header = ByteWriter()
        header.write(InfluenceState.magic)
        header.write(InfluenceState.formatVersion)
        header.write(configuration.fingerprint)
        header.write(watermark)
        header.write(landmark)
        header.write(UInt8(hasLandmark ? 1 : 0))
        header.write(UInt64(trackedUserCount))
        header.write(UInt64(directory.liveCount))
        header.write(UInt64(networkNames.count))
        for name in networkNames.names {
            header.write(UInt64(name.count))
            name.withUnsafeBytes { header.write(bytes: $0) }
        }
        header.write(recent.admitted)
        header.write(standingsClosedThrough)
        try header.flush(into: sink)

        func array<T>(_ values: PagedArray<T>) throws {
            var count = ByteWriter()
            count.write(UInt64(values.count))
            try count.flush(into: sink)
            try values.serialize(into: sink)
        }
        try array(directory.hashes)
        try array(directory.locations)
        try array(directory.arena)
        try array(directory.slots)
        try array(users)
        try array(networkRecords)
        try array(recent.buckets)
        try array(undoEntries)
        try array(pairs.entries)

        var topics = ByteWriter()
        topics.write(UInt64(topicNames.count))
        for name in topicNames {
            topics.write(UInt64(name.count))
            name.withUnsafeBytes { topics.write(bytes: $0) }
        }
        try topics.flush(into: sink)
        try array(contentTopics.entries)
        try array(topicBlocks)
        try array(topicSlots)

        var standings = ByteWriter()
        standings.write(UInt64(standingsDue.count))
        standingsDue.withUnsafeBytes { standings.write(bytes: $0) }
        try standings.flush(into: sink)
    }

    /// The serialized bytes in one array (tests and small states; the engine streams instead).
    public func serializedBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        serialize { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Restores a state from bytes written by ``serialize(into:)`` under the same configuration.
    ///
    /// - Throws: ``ModelError/unsupportedFormat(_:)`` for bytes that are not a state of this
    ///   format version, ``ModelError/configurationMismatch(expected:found:)`` when the state was
    ///   built under another configuration, ``ModelError/corruptState(_:)`` when the bytes end early
    ///   or hold impossible values. Never traps on bad input.
    public init(
        deserializing bytes: UnsafeRawBufferPointer, configuration: ModelConfiguration,
        concurrently: Concurrently = .inline
    ) throws(ModelError) {
        try self.init(configuration: configuration)
        var reader = ByteReader(bytes)
        guard try reader.read(UInt32.self) == InfluenceState.magic else {
            throw ModelError.unsupportedFormat("not a Resonance model state (bad magic)")
        }
        let version = try reader.read(UInt32.self)
        guard version == InfluenceState.formatVersion else {
            throw ModelError.unsupportedFormat(
                "format version \(version), this build reads \(InfluenceState.formatVersion) (an earlier model's state: rebuild it by replay)")
        }
        let fingerprint = try reader.read(UInt64.self)
        guard fingerprint == configuration.fingerprint else {
            throw ModelError.configurationMismatch(expected: configuration.fingerprint, found: fingerprint)
        }
        watermark = try reader.read(Int64.self)
        landmark = try reader.read(Int64.self)
        hasLandmark = try reader.read(UInt8.self) != 0
        trackedUserCount = try reader.readCount()
        let liveCount = try reader.readCount()
        let networkCount = try reader.readCount()
        guard networkCount <= Int(UInt16.max) else { throw ModelError.corruptState("\(networkCount) networks") }
        for _ in 0..<networkCount {
            let length = try reader.readCount()
            guard length > 0, length <= 64 else { throw ModelError.corruptState("network name of \(length) bytes") }
            let name = try reader.take(length)
            guard internNetwork(named: name) != nil else { throw ModelError.corruptState("repeated network name") }
        }
        recent.admitted = try reader.read(UInt64.self)
        standingsClosedThrough = try reader.read(Int64.self)

        func readArrayCount(expected: Int? = nil, _ name: String) throws(ModelError) -> Int {
            // Sparse pages can hold more elements than bytes; `deserialize` checks the count.
            let raw = try reader.read(UInt64.self)
            guard raw <= UInt64(Int.max / 64) else { throw ModelError.corruptState("\(name) has \(raw) entries") }
            let count = Int(raw)
            if let expected, count != expected {
                throw ModelError.corruptState("\(name) has \(count) entries, the configuration gives \(expected)")
            }
            return count
        }
        func array<T>(_ values: inout PagedArray<T>, expected: Int? = nil, _ name: String) throws(ModelError) {
            try values.deserialize(count: try readArrayCount(expected: expected, name), from: &reader)
        }
        try array(&directory.hashes, "user hashes")
        try array(&directory.locations, expected: directory.hashes.count, "user id locations")
        try array(&directory.arena, "user id arena")
        try array(&directory.slots, "user table")
        // The user records may be decoded elsewhere (`concurrently`) while this thread decodes the
        // rest (the network records above all): the two largest arrays, most of a restore's time,
        // which goes to filling fresh memory.
        let userCount = try readArrayCount(expected: directory.hashes.count, "user records")
        let userDecoding = ArrayDecoding(users, reader: reader, count: userCount)
        try PagedArray<UserRecord>.skip(count: userCount, pageSize: users.pageSize, from: &reader)
        let waitForUsers = concurrently.start { userDecoding.run() }
        defer { waitForUsers() }
        try array(&networkRecords, "network records")
        // The dedupe window, undo log and pair memory grow with the input up to their capacities.
        var buckets = recent.buckets
        try array(&buckets, "recent events")
        guard recent.adopt(buckets) else {
            throw ModelError.corruptState("recent events has \(buckets.count) buckets, not a power of two up to the configuration's \(recent.fullBucketCount)")
        }
        try array(&undoEntries, "undo entries")
        guard undoEntries.count <= configuration.undoCapacity else {
            throw ModelError.corruptState("undo entries has \(undoEntries.count) entries, the configuration gives at most \(configuration.undoCapacity)")
        }
        var pairEntries = pairs.entries
        try array(&pairEntries, "pair memory")
        guard pairs.adopt(pairEntries) else {
            throw ModelError.corruptState("pair memory has \(pairEntries.count) entries, not a power of two from \(PairMemory.ways) up to the configuration's \(pairs.fullCount)")
        }
        let topicCount = try reader.readCount(minimumStride: 9)
        guard topicCount <= configuration.topicCapacity else {
            throw ModelError.corruptState("\(topicCount) topics, the configuration gives at most \(configuration.topicCapacity)")
        }
        for _ in 0..<topicCount {
            let length = try reader.readCount()
            guard length > 0, length <= InfluenceState.maxTopicNameBytes else { throw ModelError.corruptState("topic name of \(length) bytes") }
            let name = try reader.take(length)
            guard topicIndex[Array(name)] == nil, internTopic(named: name) != nil else { throw ModelError.corruptState("repeated topic name") }
        }
        var contentEntries = contentTopics.entries
        try array(&contentEntries, "post topics")
        guard contentTopics.adopt(contentEntries) else {
            throw ModelError.corruptState("post topics has \(contentEntries.count) entries, not 0 or a power of two from \(ContentTopics.ways) up to the configuration's \(contentTopics.fullCount)")
        }
        try array(&topicBlocks, "topic blocks")
        try array(&topicSlots, "topic slots")
        let dueCount = try reader.readCount(minimumStride: 4)
        let due = try reader.take(dueCount * 4)
        standingsDue = Array(repeating: 0, count: dueCount)
        standingsDue.withUnsafeMutableBytes { $0.copyMemory(from: due) }
        guard reader.isAtEnd else { throw ModelError.corruptState("\(bytes.count - reader.offset) trailing bytes") }
        waitForUsers()
        users = try userDecoding.result()
        try validateLoaded(liveCount: liveCount)
    }

    /// Checks the cross-references a corrupt file could break, so that later reads cannot trap.
    private mutating func validateLoaded(liveCount: Int) throws(ModelError) {
        let slotCount = directory.slots.count
        guard slotCount >= 4, slotCount & (slotCount - 1) == 0, liveCount < slotCount else {
            throw ModelError.corruptState("user table size \(slotCount)")
        }
        directory.restoreLiveCount(liveCount)
        let handleCount = UInt32(directory.hashes.count)
        // A tag that does not match its id's hash cannot make a read go astray (the id's bytes
        // are compared too); it would only hide the id from lookups, and the file's checksum
        // stands guard against that.
        guard directory.slots.allSatisfy({ _, slot in
            slot == 0 || (0..<Int(handleCount)).contains(UserDirectory.handle(inSlot: slot))
        }) else {
            throw ModelError.corruptState("user table names a handle that does not exist")
        }
        let arenaCount = directory.arena.count
        guard directory.locations.allSatisfy({ _, location in Int(location >> 16) + Int(location & 0xFFFF) <= arenaCount })
        else { throw ModelError.corruptState("user id outside the arena") }
        let recordCount = UInt32(networkRecords.count)
        let userCount = UInt32(users.count)
        guard users.allSatisfy({ _, record in
            record.firstNetwork <= recordCount && record.topEngager0 <= userCount && record.topEngager1 <= userCount
                && record.topEngager2 <= userCount && record.topEngager3 <= userCount
        }) else { throw ModelError.corruptState("a user record links outside the state") }
        // An erased user stays listed (its record was reset); the close passes over it.
        guard standingsDue.allSatisfy({ $0 < userCount && users[Int($0)].flags & (UserRecord.standingDueBit | UserRecord.erasedBit) != 0 }) else {
            throw ModelError.corruptState("a standing due names a user that does not exist")
        }
        let networkCount = max(networkNames.count, 1)
        guard networkRecords.allSatisfy({ index, record in
            record.next <= recordCount && record.next != UInt32(index + 1) && Int(record.network) < networkCount
        }) else { throw ModelError.corruptState("a network record links outside the state") }
        let networkLimit = UInt16(clamping: networkNames.count)
        guard undoEntries.allSatisfy({ _, entry in
            (entry.generation == 0 || (entry.actor < userCount && entry.target < userCount && entry.network < networkLimit))
                && Pool(rawValue: entry.pool & UndoEntry.poolMask) != nil
                && entry.pool & ~(UndoEntry.poolMask | UndoEntry.flagBits) == 0
        }) else { throw ModelError.corruptState("an undo entry is out of range") }
        let topicLimit = UInt32(topicNames.count)
        guard topicSlots.count % InfluenceState.topicsPerUser == 0, topicBlocks.count <= users.count else {
            throw ModelError.corruptState("topic slots are not whole blocks")
        }
        let blockCount = UInt32(topicSlots.count / InfluenceState.topicsPerUser)
        guard topicBlocks.allSatisfy({ _, block in block <= blockCount }),
            topicSlots.allSatisfy({ _, slot in
                slot.topic <= topicLimit && slot.engager0 <= userCount && slot.engager1 <= userCount
            }),
            contentTopics.entries.allSatisfy({ _, entry in
                entry.key == 0 || (entry.author <= userCount && entry.count <= UInt32(TopicList.capacity)
                    && entry.topicList.topics.allSatisfy { $0.rawValue < topicLimit })
            })
        else { throw ModelError.corruptState("a topic record links outside the state") }
    }
}

/// How a restore may run part of its work concurrently: `start` begins `work` (on another
/// thread, or at once) and returns a function that waits until it has finished; waiting more
/// than once returns at once. The model starts no thread itself: the snapshot code that restores
/// a state decides (``InfluenceState/init(deserializing:configuration:concurrently:)``).
public struct Concurrently: Sendable {
    /// Begins `work` and returns how to wait for it.
    public let start: @Sendable (_ work: @escaping @Sendable () -> Void) -> () -> Void

    /// `start` as given.
    public init(start: @escaping @Sendable (_ work: @escaping @Sendable () -> Void) -> () -> Void) {
        self.start = start
    }

    /// Runs the work at once, on the calling thread.
    public static let inline = Concurrently { work in
        work()
        return {}
    }
}

/// Decodes one paged array from its own reader: the work a restore may hand to another thread.
/// The bytes it reads are the caller's, who waits for it before they go.
private final class ArrayDecoding<Element: BitwiseCopyable>: @unchecked Sendable {
    private var values: PagedArray<Element>
    private var reader: ByteReader
    private let count: Int
    private var failure: ModelError?

    init(_ values: PagedArray<Element>, reader: ByteReader, count: Int) {
        self.values = values
        self.reader = reader
        self.count = count
    }

    func run() {
        do throws(ModelError) {
            try values.deserialize(count: count, from: &reader)
        } catch {
            failure = error
        }
    }

    /// The decoded array; call once the work has finished.
    func result() throws(ModelError) -> PagedArray<Element> {
        if let failure { throw failure }
        return values
    }
}
