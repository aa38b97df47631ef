import Foundation
import ResonanceModel

/// The records of the state topic (`<scores topic>.state.<model fingerprint>`, compacted,
/// partition p holding partition p's snapshots): how a partition's state reaches an instance that
/// has no copy of it on disk.
///
/// A shipped snapshot is the snapshot file's bytes, cut into chunks below the broker's message
/// limit, each keyed `snapshot/<file name>/chunk/<index>` with its XXH64 in a header, then a
/// manifest keyed `snapshot/<file name>/manifest`, written last: a snapshot without its manifest
/// is incomplete and never read. Snapshots older than the last two shipped are deleted with
/// tombstones, so compaction keeps the topic at about two states per partition.
enum StateTopicWire {
    /// The state topic of `configuration` for the scores topic `scores`: named after the model
    /// configuration, like the standings topic, so state built under other weights is never read.
    static func topic(forScores scores: String, configuration: ModelConfiguration) -> String {
        let fingerprint = String(configuration.fingerprint, radix: 16)
        return scores + ".state." + String(repeating: "0", count: 16 - fingerprint.count) + fingerprint
    }

    /// Bytes per chunk: half of Kafka's default `message.max.bytes` (1 MB), leaving room for the
    /// record's key, headers and batch overhead.
    static let chunkBytes = 512 * 1024

    /// The header carrying a chunk's XXH64, hexadecimal.
    static let checksumHeader = "resonance.chunk.xxh64"

    static func chunkKey(snapshot: String, index: Int) -> [UInt8] { Array("snapshot/\(snapshot)/chunk/\(index)".utf8) }

    static func manifestKey(snapshot: String) -> [UInt8] { Array("snapshot/\(snapshot)/manifest".utf8) }

    /// What a key names: a snapshot's chunk (with its index) or its manifest (index nil); nil for
    /// a key this format does not write.
    static func parse(key: UnsafeRawBufferPointer) -> (snapshot: String, chunk: Int?)? {
        let parts = String(decoding: key, as: UTF8.self).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0] == "snapshot" else { return nil }
        if parts.count == 3, parts[2] == "manifest" { return (String(parts[1]), nil) }
        if parts.count == 4, parts[2] == "chunk", let index = Int(parts[3]), index >= 0 { return (String(parts[1]), index) }
        return nil
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> String {
        String(XXHash64.hash(bytes), radix: 16)
    }
}

/// The last record of a shipped snapshot: what it is, how to put it together and check it.
struct StateManifest: Codable, Equatable, Sendable {
    /// The manifest format this build writes and reads.
    static let currentFormat = 1

    var format: Int
    /// The snapshot's file name, `<sequence>-<created>.snapshot`.
    var snapshot: String
    var partition: Int32
    /// Events the partition had applied (what orders snapshots).
    var sequence: Int64
    /// The model configuration fingerprint, hexadecimal.
    var modelFingerprint: String
    /// The snapshot file's format version.
    var snapshotFormat: UInt32
    /// The file's size in bytes.
    var bytes: Int
    /// Each chunk's XXH64, hexadecimal, in order.
    var chunkChecksums: [String]
    /// The input offsets the snapshot covers.
    var nextOffsets: [String: Int64]

    enum CodingKeys: String, CodingKey {
        case format, snapshot, partition, sequence, bytes
        case modelFingerprint = "model_fingerprint"
        case snapshotFormat = "snapshot_format"
        case chunkChecksums = "chunk_checksums"
        case nextOffsets = "next_offsets"
    }
}
