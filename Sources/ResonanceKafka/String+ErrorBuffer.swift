extension String {
    /// The text librdkafka wrote into a fixed-size error buffer, up to its terminating NUL.
    init(errorBuffer: [CChar]) {
        let bytes = errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self.init(decoding: bytes, as: UTF8.self)
    }
}
