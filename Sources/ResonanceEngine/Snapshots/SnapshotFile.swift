import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ResonanceModel

/// The snapshot file format: magic, header, publisher section, model section, checksum.
///
///     "RSNAPv01"                      8 bytes
///     header length                   u32
///     header                          (little-endian; see ``SnapshotHeader``, format 2)
///     publisher: count u64, count × f32 last published scores
///     model: InfluenceState.serialize bytes (sparse pages), up to the checksum
///     checksum                        u64: ``BlockChecksum`` of everything before it
///     "RSNAPEND"                      8 bytes
///
/// Written to a temporary file, fsynced, renamed into place, and the directory fsynced, so a
/// crash leaves either the old set of snapshots or the new one, never a torn file under a final
/// name. Read through mmap while a helper thread reads the file ahead and another verifies the
/// checksum, so loading costs little more than reading the file.
enum SnapshotFile {
    static let magic: [UInt8] = Array("RSNAPv01".utf8)
    static let trailer: [UInt8] = Array("RSNAPEND".utf8)

    // MARK: Writing

    /// Writes `snapshot` to `path` atomically. Returns the header written.
    @discardableResult
    static func write(_ snapshot: PartitionSnapshot, to path: String, createdAt: Int64) throws(SnapshotError) -> SnapshotHeader {
        let temporary = path + ".tmp"
        // Direct I/O where the file system supports it (not tmpfs, for one), else through the
        // page cache.
        var direct = BlockWriter.openDirectFlag != 0
        var descriptor = direct ? open(temporary, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC | BlockWriter.openDirectFlag, 0o644) : -1
        if descriptor < 0 {
            direct = false
            descriptor = open(temporary, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o644)
        }
        guard descriptor >= 0 else { throw SnapshotError("cannot create \(temporary): \(errnoText())") }
        let writer = BlockWriter(descriptor: descriptor, direct: direct)
        do {
            let publisherBytes = UInt64(8 + snapshot.lastPublished.count * 4)
            let header = SnapshotHeader(
                formatVersion: SnapshotHeader.currentFormatVersion, partition: snapshot.partition,
                modelFingerprint: snapshot.state.configuration.fingerprint, sequence: snapshot.sequence,
                watermark: snapshot.state.watermark, createdAt: createdAt, nextOffsets: snapshot.nextOffsets,
                trackedUsers: Int64(snapshot.state.trackedUserCount), publisherBytes: publisherBytes, modelBytes: 0)
            let encoded = encode(header)
            try writer.append(magic)
            try writer.append(UInt32(encoded.count))
            try writer.append(encoded)
            try writer.append(UInt64(snapshot.lastPublished.count))
            try snapshot.lastPublished.withUnsafeBytes { try writer.append(bytes: $0) }
            try snapshot.state.serialize { chunk in try writer.append(bytes: chunk) }
            let checksum = try writer.finishChecksum()
            try writer.appendUnhashed(checksum)
            try writer.appendUnhashed(trailer)
            try writer.flush()
            guard fsync(descriptor) == 0 else { throw SnapshotError("cannot fsync \(temporary): \(errnoText())") }
            close(descriptor)
            guard rename(temporary, path) == 0 else { throw SnapshotError("cannot rename \(temporary) into place: \(errnoText())") }
            try syncDirectory(of: path)
            return header
        } catch let error as SnapshotError {
            close(descriptor)
            unlink(temporary)
            throw error
        } catch {
            close(descriptor)
            unlink(temporary)
            throw SnapshotError("\(error)")
        }
    }

    private static func syncDirectory(of path: String) throws(SnapshotError) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SnapshotError("cannot open \(directory) to fsync it: \(errnoText())") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw SnapshotError("cannot fsync \(directory): \(errnoText())") }
    }

    static func encode(_ header: SnapshotHeader) -> [UInt8] {
        var bytes: [UInt8] = []
        func put<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        put(header.formatVersion)
        put(header.partition)
        put(header.modelFingerprint)
        put(header.sequence)
        put(header.watermark)
        put(header.createdAt)
        put(header.trackedUsers)
        put(header.publisherBytes)
        // No model length: the model section runs to the checksum, so the state is serialized
        // once, straight to the file, without first measuring its (sparse) encoding.
        put(UInt32(header.nextOffsets.count))
        for (topic, offset) in header.nextOffsets.sorted(by: { $0.key < $1.key }) {
            put(UInt16(topic.utf8.count))
            bytes.append(contentsOf: topic.utf8)
            put(offset)
        }
        return bytes
    }

    // MARK: Reading

    /// A mapped snapshot file whose header has been checked (and its checksum, unless mapped
    /// with `verify: false`). Immutable: safe to read from several threads.
    final class Mapped: @unchecked Sendable {
        let header: SnapshotHeader
        let publisher: UnsafeRawBufferPointer
        let model: UnsafeRawBufferPointer
        /// Everything the checksum covers, and the checksum stored after it.
        let checksummed: UnsafeRawBufferPointer
        let storedChecksum: UInt64
        private let base: UnsafeMutableRawPointer
        private let length: Int

        init(
            header: SnapshotHeader, publisher: UnsafeRawBufferPointer, model: UnsafeRawBufferPointer,
            checksummed: UnsafeRawBufferPointer, storedChecksum: UInt64, base: UnsafeMutableRawPointer, length: Int
        ) {
            self.header = header
            self.publisher = publisher
            self.model = model
            self.checksummed = checksummed
            self.storedChecksum = storedChecksum
            self.base = base
            self.length = length
        }

        deinit {
            munmap(base, length)
        }
    }

    /// Maps `path` and checks its format, header and checksum (`verify: false` skips the
    /// checksum, for a quick look at the header).
    static func map(_ path: String, verify: Bool = true) throws(SnapshotError) -> Mapped {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SnapshotError("cannot open \(path): \(errnoText())") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SnapshotError("cannot stat \(path): \(errnoText())") }
        let length = Int(info.st_size)
        guard length >= magic.count + 4 + 16 else { throw SnapshotError("\(path) is truncated (\(length) bytes)") }
        guard let base = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else {
            throw SnapshotError("cannot map \(path): \(errnoText())")
        }
        let bytes = UnsafeRawBufferPointer(start: base, count: length)
        func fail(_ message: String) -> SnapshotError {
            munmap(base, length)
            return SnapshotError("\(path): \(message)")
        }
        guard bytes.prefix(magic.count).elementsEqual(magic) else {
            throw fail(bytes.prefix(5).elementsEqual(magic.prefix(5)) ? "unknown snapshot format version '\(String(decoding: bytes.prefix(8), as: UTF8.self))'; this build reads RSNAPv01" : "not a Resonance snapshot")
        }
        guard bytes.suffix(trailer.count).elementsEqual(trailer) else { throw fail("truncated: the end marker is missing") }
        var reader = HeaderReader(bytes: bytes, offset: magic.count)
        guard let headerLength = reader.read(UInt32.self) else { throw fail("the header is damaged") }
        var peek = reader
        if let version = peek.read(UInt32.self), version != SnapshotHeader.currentFormatVersion {
            throw fail("format version \(version); this build reads \(SnapshotHeader.currentFormatVersion)")
        }
        guard var header = reader.header(length: Int(headerLength)) else { throw fail("the header is damaged") }
        let payloadStart = reader.offset
        // The model section runs from the publisher section to the checksum.
        let payloadEnd = length - 8 - trailer.count
        guard header.publisherBytes >= 8, payloadStart + Int(clamping: header.publisherBytes) <= payloadEnd else {
            throw fail("truncated: the sections do not fit in the file")
        }
        header.modelBytes = UInt64(payloadEnd - payloadStart - Int(header.publisherBytes))
        let stored = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: payloadEnd, as: UInt64.self))
        let checksummed = UnsafeRawBufferPointer(rebasing: bytes[0..<payloadEnd])
        if verify {
            guard BlockChecksum.of(checksummed) == stored else {
                throw fail("checksum mismatch: the file is corrupt")
            }
        }
        let publisher = UnsafeRawBufferPointer(rebasing: bytes[payloadStart..<(payloadStart + Int(header.publisherBytes))])
        let model = UnsafeRawBufferPointer(rebasing: bytes[(payloadStart + Int(header.publisherBytes))..<payloadEnd])
        return Mapped(
            header: header, publisher: publisher, model: model, checksummed: checksummed, storedChecksum: stored,
            base: base, length: length)
    }

    /// Reads `path` to its end with plain sequential reads into a scratch buffer, dropping the
    /// bytes: it fills the page cache at the disk's sequential rate (about twice what faulting a
    /// cold mapping in achieved here), so the readers of the mapping find their pages cached.
    private static func readAhead(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        let chunk = 8 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 4096)
        defer { buffer.deallocate() }
        var offset: off_t = 0
        while true {
            let count = pread(descriptor, buffer, chunk, offset)
            if count <= 0 { break }
            offset += off_t(count)
        }
    }

    /// Loads a whole snapshot under `configuration`.
    ///
    /// Three things overlap, so that a restore takes about as long as reading the file: a reader
    /// thread pulls the file into the page cache, another thread verifies the checksum, and this
    /// one decodes. Decoding before the checksum is known is safe: the decoder checks every
    /// cross-reference and never traps on bad bytes, and its result is used only if the checksum
    /// matches.
    static func load(_ path: String, configuration: ModelConfiguration) throws(SnapshotError) -> PartitionSnapshot {
        let mapped = try map(path, verify: false)
        let helpers = DispatchGroup()
        DispatchQueue.global().async(group: helpers) { readAhead(path) }
        let checksum = ChecksumResult()
        DispatchQueue.global().async(group: helpers) { checksum.value = BlockChecksum.of(mapped.checksummed) }
        let decoded = Result { () throws(SnapshotError) in try decode(mapped, path: path, configuration: configuration) }
        helpers.wait()
        guard checksum.value == mapped.storedChecksum else {
            throw SnapshotError("\(path): checksum mismatch: the file is corrupt")
        }
        return try decoded.get()
    }

    /// Set by the checksum thread before the group it runs in is left; read after waiting for it.
    private final class ChecksumResult: @unchecked Sendable {
        var value: UInt64 = 0
    }

    private static func decode(_ mapped: Mapped, path: String, configuration: ModelConfiguration) throws(SnapshotError) -> PartitionSnapshot {
        let header = mapped.header
        guard header.modelFingerprint == configuration.fingerprint else {
            throw SnapshotError("\(path) was built with model configuration \(String(header.modelFingerprint, radix: 16)), this run uses \(String(configuration.fingerprint, radix: 16))")
        }
        let count = Int(UInt64(littleEndian: mapped.publisher.loadUnaligned(as: UInt64.self)))
        guard 8 + count * 4 == mapped.publisher.count else { throw SnapshotError("\(path): the publisher section is damaged") }
        let lastPublished = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: mapped.publisher[8...]))
            initialized = count
        }
        let state: InfluenceState
        do {
            state = try InfluenceState(deserializing: mapped.model, configuration: configuration, concurrently: .onAnotherThread)
        } catch {
            throw SnapshotError("\(path): \(error)")
        }
        return PartitionSnapshot(
            partition: header.partition, sequence: header.sequence, nextOffsets: header.nextOffsets,
            state: state, lastPublished: lastPublished)
    }
}

/// Reads the little-endian header fields.
private struct HeaderReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int

    mutating func read<T: FixedWidthInteger>(_ type: T.Type) -> T? {
        guard offset + MemoryLayout<T>.size <= bytes.count else { return nil }
        defer { offset += MemoryLayout<T>.size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    mutating func header(length: Int) -> SnapshotHeader? {
        let end = offset + length
        guard end <= bytes.count,
            let formatVersion = read(UInt32.self), let partition = read(Int32.self),
            let fingerprint = read(UInt64.self), let sequence = read(Int64.self),
            let watermark = read(Int64.self), let createdAt = read(Int64.self),
            let trackedUsers = read(Int64.self), let publisherBytes = read(UInt64.self),
            let offsetCount = read(UInt32.self)
        else { return nil }
        var offsets: [String: Int64] = [:]
        for _ in 0..<offsetCount {
            guard let nameLength = read(UInt16.self), offset + Int(nameLength) <= end else { return nil }
            let name = String(decoding: bytes[offset..<(offset + Int(nameLength))], as: UTF8.self)
            offset += Int(nameLength)
            guard let next = read(Int64.self) else { return nil }
            offsets[name] = next
        }
        guard offset == end else { return nil }
        return SnapshotHeader(
            formatVersion: formatVersion, partition: partition, modelFingerprint: fingerprint, sequence: sequence,
            watermark: watermark, createdAt: createdAt, nextOffsets: offsets, trackedUsers: trackedUsers,
            publisherBytes: publisherBytes, modelBytes: 0)
    }
}

/// Buffers writes into 1 MiB blocks, hashing each block as it goes out.
///
/// Whole blocks are written with O_DIRECT where the file system allows it: straight from this
/// buffer to the disk, without the kernel's copy into the page cache. On this machine that copy was
/// the largest part of writing a 2 GB snapshot (`perf`), and `dd` wrote 704 MB/s direct against
/// 293 MB/s through the page cache. The unaligned tail is written normally.
///
/// Without O_DIRECT, every 16 MiB it asks the kernel to start writing the last 16 MiB to disk,
/// and waits for the 16 MiB before that: the disk then works while the state is still being
/// serialized, instead of all at the final fsync, and a multi-gigabyte snapshot never holds more
/// than ~32 MiB of dirty pages.
private final class BlockWriter {
    let descriptor: Int32
    /// Aligned for O_DIRECT; holds one block plus room for the unhashed trailer.
    private let buffer: UnsafeMutableRawPointer
    private let capacity = BlockChecksum.blockSize + 4096
    private var count = 0
    private var checksum = BlockChecksum()
    private var hashing = true
    /// Whether the descriptor is in O_DIRECT mode (cleared before the first unaligned write).
    private var direct: Bool
    /// Bytes written to the file so far, and where the last write-back request started.
    private var written: Int64 = 0
    private var writeBackStart: Int64 = 0
    private static let writeBackChunk: Int64 = 16 << 20
    private static let directAlignment = 4096
    // sync_file_range's flags (linux/fs.h; Glibc's module does not export the macros).
    private static let waitBefore: UInt32 = 1
    private static let startWrite: UInt32 = 2
    private static let waitAfter: UInt32 = 4

    /// `direct`: the descriptor was opened with ``openDirectFlag``.
    init(descriptor: Int32, direct: Bool) {
        self.descriptor = descriptor
        self.direct = direct
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: Self.directAlignment)
    }

    deinit {
        buffer.deallocate()
    }

    /// O_DIRECT (linux/fcntl.h; Glibc's module exports it only under _GNU_SOURCE); 0 elsewhere.
    static var openDirectFlag: Int32 {
        #if os(Linux) && arch(x86_64)
        return 0o40000
        #elseif os(Linux) && arch(arm64)
        return 0o200000
        #else
        return 0
        #endif
    }

    func append<T: FixedWidthInteger>(_ value: T) throws(SnapshotError) {
        try append(withUnsafeBytes(of: value.littleEndian) { Array($0) })
    }

    func append(_ bytes: [UInt8]) throws(SnapshotError) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(SnapshotError) in try append(bytes: raw) } }
        try result.get()
    }

    func append(bytes: UnsafeRawBufferPointer) throws(SnapshotError) {
        var offset = 0
        while offset < bytes.count {
            let take = min(BlockChecksum.blockSize - count, bytes.count - offset)
            (buffer + count).copyMemory(from: bytes.baseAddress! + offset, byteCount: take)
            count += take
            offset += take
            if count == BlockChecksum.blockSize { try emitBlock() }
        }
    }

    private func emitBlock() throws(SnapshotError) {
        if hashing { checksum.add(block: UnsafeRawBufferPointer(start: buffer, count: count)) }
        try flush()
    }

    /// Hashes what is buffered as the last block and returns the checksum of everything so far.
    func finishChecksum() throws(SnapshotError) -> UInt64 {
        if count > 0 { try emitBlock() }
        hashing = false
        return checksum.value
    }

    func appendUnhashed<T: FixedWidthInteger>(_ value: T) throws(SnapshotError) {
        withUnsafeBytes(of: value.littleEndian) { appendUnhashed(bytes: $0) }
    }

    func appendUnhashed(_ bytes: [UInt8]) throws(SnapshotError) {
        bytes.withUnsafeBytes { appendUnhashed(bytes: $0) }
    }

    private func appendUnhashed(bytes: UnsafeRawBufferPointer) {
        precondition(count + bytes.count <= capacity, "the unhashed trailer fits after the last block")
        (buffer + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        count += bytes.count
    }

    func flush() throws(SnapshotError) {
        var done = 0
        if direct {
            let aligned = count & ~(Self.directAlignment - 1)
            try writeAll(from: 0, to: aligned)
            done = aligned
            if done < count {
                // The tail is not a whole number of sectors: write it (and anything after it)
                // through the page cache.
                let flags = fcntl(descriptor, F_GETFL)
                guard flags >= 0, fcntl(descriptor, F_SETFL, flags & ~Self.openDirectFlag) == 0 else {
                    throw SnapshotError("cannot leave direct I/O for the snapshot's tail: \(errnoText())")
                }
                direct = false
            }
        }
        try writeAll(from: done, to: count)
        written += Int64(count)
        count = 0
        if !direct { startWriteBack() }
    }

    private func writeAll(from start: Int, to end: Int) throws(SnapshotError) {
        var done = start
        while done < end {
            let result = Glibc.write(descriptor, buffer + done, end - done)
            if result < 0 {
                if errno == EINTR { continue }
                throw SnapshotError("cannot write the snapshot: \(errnoText())")
            }
            done += result
        }
    }

    /// Starts write-back of the latest whole chunk and waits for the one before it. Advice only:
    /// the final fsync is what makes the file durable, so errors here are ignored.
    private func startWriteBack() {
        #if os(Linux)
        while written - writeBackStart >= Self.writeBackChunk {
            guard let syncFileRange else { return }
            _ = syncFileRange(descriptor, writeBackStart, Self.writeBackChunk, Self.startWrite)
            if writeBackStart >= Self.writeBackChunk {
                _ = syncFileRange(
                    descriptor, writeBackStart - Self.writeBackChunk, Self.writeBackChunk,
                    Self.waitBefore | Self.startWrite | Self.waitAfter)
            }
            writeBackStart += Self.writeBackChunk
        }
        #endif
    }
}

#if os(Linux)
/// Linux's sync_file_range(2), looked up at run time: Glibc's module declares it only under
/// _GNU_SOURCE, which Swift's import does not set. Nil where the C library lacks it.
private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
private let syncFileRange: SyncFileRange? = {
    // RTLD_DEFAULT is the null handle on glibc: search every loaded object.
    guard let symbol = dlsym(nil, "sync_file_range") else { return nil }
    return unsafeBitCast(symbol, to: SyncFileRange.self)
}()
#endif

func errnoText() -> String {
    String(cString: strerror(errno))
}
