import ResonanceModel

/// The records of the standings topic (`<scores topic>.standings.<model fingerprint>`, compacted, partition p written
/// only by input partition p's owner).
///
/// - A standing: key = the user id; value = 24 bytes, little-endian: the epoch it is valid from
///   (Int64), the standing (Float32, ``ActorStanding/packed``), the previous standing (Float32,
///   0 when none) and the epoch that one was valid from (Int64).
/// - An erased user's standing: key = the user id, a null value (a Kafka tombstone, so that
///   compaction removes the id) and a header `epoch` holding the epoch (Int64).
/// - A close marker: key = ``markerKey`` (0xFF is never part of a UTF-8 user id); value = 16
///   bytes: the epoch the partition has closed through and the epoch its newest durable snapshot
///   had closed through (Int64 each).
enum StandingsWire {
    static let markerKey: [UInt8] = [0xFF, 0x6D]
    static let epochHeader = "epoch"

    /// `<scores>.standings.<model configuration fingerprint>`.
    static func topic(forScores scores: String, configuration: ModelConfiguration) -> String {
        let fingerprint = String(configuration.fingerprint, radix: 16)
        return scores + ".standings." + String(repeating: "0", count: 16 - fingerprint.count) + fingerprint
    }

    /// Calls `body` with a standing's value: epoch, standing, previous standing and previous
    /// epoch, little-endian (24 bytes). On the stack: an array per standings record was 6% of a
    /// replay's mallocs.
    static func withStandingValue<Result>(
        _ update: InfluenceState.StandingUpdate, _ body: (UnsafeRawBufferPointer) -> Result
    ) -> Result {
        withUnsafeTemporaryAllocation(byteCount: 24, alignment: 8) { bytes in
            bytes.storeBytes(of: update.epoch.littleEndian, toByteOffset: 0, as: Int64.self)
            bytes.storeBytes(of: (update.standing?.packed.bitPattern ?? 0).littleEndian, toByteOffset: 8, as: UInt32.self)
            bytes.storeBytes(
                of: (update.previous?.standing.packed.bitPattern ?? 0).littleEndian, toByteOffset: 12, as: UInt32.self)
            bytes.storeBytes(of: (update.previous?.epoch ?? .min).littleEndian, toByteOffset: 16, as: Int64.self)
            return body(UnsafeRawBufferPointer(bytes))
        }
    }

    static func epochValue(_ epoch: Int64) -> [UInt8] {
        var bytes: [UInt8] = []
        append(epoch, to: &bytes)
        return bytes
    }

    static func markerValue(closedThrough: Int64, durable: Int64) -> [UInt8] {
        var bytes: [UInt8] = []
        append(closedThrough, to: &bytes)
        append(durable, to: &bytes)
        return bytes
    }

    static func isMarker(_ key: UnsafeRawBufferPointer) -> Bool {
        key.count == 2 && key[0] == markerKey[0] && key[1] == markerKey[1]
    }

    static func readInt64(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int64 {
        Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self))
    }

    static func readFloat(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Float {
        Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
