/// What a snapshot file says about itself, readable without loading the state.
public struct SnapshotHeader: Sendable, Equatable {
    /// The file format version this build writes and reads.
    public static let currentFormatVersion: UInt32 = 2

    /// The file's format version.
    public var formatVersion: UInt32
    /// The input partition number.
    public var partition: Int32
    /// The fingerprint of the model configuration the state was built with.
    public var modelFingerprint: UInt64
    /// Events applied (the version of the partition's next change).
    public var sequence: Int64
    /// The state's event-time watermark, epoch milliseconds (`Int64.min` before any event).
    public var watermark: Int64
    /// When the snapshot was taken, wall clock, epoch milliseconds.
    public var createdAt: Int64
    /// The next offset to read in each input topic's partition of this number.
    public var nextOffsets: [String: Int64]
    /// Users in the state.
    public var trackedUsers: Int64
    /// Bytes of the publisher section.
    public var publisherBytes: UInt64
    /// Bytes of the model section (not stored: it runs to the checksum; known once a file is
    /// mapped, 0 in a header about to be written).
    public var modelBytes: UInt64
}
