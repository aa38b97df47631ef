import CRdKafka
import Logging
import Synchronization

/// What librdkafka's C callbacks need from Swift, reached through the handle's opaque pointer.
///
/// The owning ``RDKafkaClient`` keeps it alive until after `rd_kafka_destroy` returns, so the
/// callbacks never see a freed object. Everything here is immutable or atomic.
final class RDKafkaCallbacks: Sendable {
    let logger: Logger
    /// Group consumers only.
    let rebalanceHandler: KafkaRebalanceHandler?
    /// Producers only: called for every failed delivery.
    let deliveryFailureHandler: (@Sendable (KafkaDeliveryFailure) -> Void)?
    let deliveredCount = Atomic<Int>(0)
    let failedDeliveryCount = Atomic<Int>(0)
    let failedCommitCount = Atomic<Int>(0)
    /// The last fatal error librdkafka raised; after one, the client cannot recover.
    let fatalError = Mutex<KafkaError?>(nil)

    init(
        logger: Logger,
        rebalanceHandler: KafkaRebalanceHandler? = nil,
        deliveryFailureHandler: (@Sendable (KafkaDeliveryFailure) -> Void)? = nil
    ) {
        self.logger = logger
        self.rebalanceHandler = rebalanceHandler
        self.deliveryFailureHandler = deliveryFailureHandler
    }

    /// Installs the C callbacks that apply to every client type.
    func install(on configuration: OpaquePointer, type: rd_kafka_type_t) {
        rd_kafka_conf_set_opaque(configuration, Unmanaged.passUnretained(self).toOpaque())
        rd_kafka_conf_set_log_cb(configuration, rdKafkaLog)
        rd_kafka_conf_set_error_cb(configuration, rdKafkaError)
        if type == RD_KAFKA_CONSUMER {
            rd_kafka_conf_set_offset_commit_cb(configuration, rdKafkaOffsetCommit)
            if rebalanceHandler != nil {
                rd_kafka_conf_set_rebalance_cb(configuration, rdKafkaRebalance)
            }
        } else {
            rd_kafka_conf_set_dr_msg_cb(configuration, rdKafkaDeliveryReport)
        }
    }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> RDKafkaCallbacks? {
        opaque.map { Unmanaged<RDKafkaCallbacks>.fromOpaque($0).takeUnretainedValue() }
    }
}

private func rdKafkaLog(handle: OpaquePointer?, level: Int32, facility: UnsafePointer<CChar>?, line: UnsafePointer<CChar>?) {
    guard let handle, let callbacks = RDKafkaCallbacks.from(rd_kafka_opaque(handle)) else { return }
    let text = line.map { String(cString: $0) } ?? ""
    let facilityName = facility.map { String(cString: $0) } ?? ""
    // syslog levels: 0 emergency ... 7 debug.
    let logLevel: Logger.Level =
        switch level {
        case ...3: .error
        case 4: .warning
        case 5, 6: .info
        default: .debug
        }
    callbacks.logger.log(level: logLevel, "\(text)", metadata: [KafkaLogMetadata.facility: "\(facilityName)"])
}

private func rdKafkaError(handle: OpaquePointer?, code: Int32, reason: UnsafePointer<CChar>?, opaque: UnsafeMutableRawPointer?) {
    guard let callbacks = RDKafkaCallbacks.from(opaque) else { return }
    let text = reason.map { String(cString: $0) } ?? ""
    let responseCode = rd_kafka_resp_err_t(rawValue: code)
    if responseCode == RD_KAFKA_RESP_ERR__FATAL, let handle {
        var buffer = [CChar](repeating: 0, count: 512)
        let original = rd_kafka_fatal_error(handle, &buffer, buffer.count)
        let error = KafkaError(responseCode: original, context: "fatal librdkafka error: \(String(errorBuffer: buffer))")
        callbacks.fatalError.withLock { $0 = error }
        callbacks.logger.error("\(error.message)")
    } else {
        // Transient: librdkafka retries on its own; the log says why things are slow.
        callbacks.logger.warning("librdkafka: \(text)", metadata: [KafkaLogMetadata.code: "\(code)"])
    }
}

private func rdKafkaOffsetCommit(
    handle: OpaquePointer?, code: rd_kafka_resp_err_t,
    offsets: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, opaque: UnsafeMutableRawPointer?
) {
    guard let callbacks = RDKafkaCallbacks.from(opaque) else { return }
    // NO_OFFSET means there was nothing to commit, which is not a failure.
    guard code != RD_KAFKA_RESP_ERR_NO_ERROR, code != RD_KAFKA_RESP_ERR__NO_OFFSET else { return }
    callbacks.failedCommitCount.add(1, ordering: .relaxed)
    let error = KafkaError(responseCode: code, context: "offset commit")
    callbacks.logger.warning("\(error.message)")
}

private func rdKafkaDeliveryReport(
    handle: OpaquePointer?, message: UnsafePointer<rd_kafka_message_t>?, opaque: UnsafeMutableRawPointer?
) {
    guard let callbacks = RDKafkaCallbacks.from(opaque), let message else { return }
    guard message.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR else {
        callbacks.deliveredCount.add(1, ordering: .relaxed)
        return
    }
    callbacks.failedDeliveryCount.add(1, ordering: .relaxed)
    let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
    let key = message.pointee.key.map {
        Array(UnsafeRawBufferPointer(start: $0, count: message.pointee.key_len))
    }
    let failure = KafkaDeliveryFailure(
        topic: topic, partition: message.pointee.partition, key: key,
        error: KafkaError(responseCode: message.pointee.err, context: "delivery to \(topic)")
    )
    if let handler = callbacks.deliveryFailureHandler {
        handler(failure)
    } else {
        callbacks.logger.error("\(failure.error.message)")
    }
}

private func rdKafkaRebalance(
    handle: OpaquePointer?, code: rd_kafka_resp_err_t,
    partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, opaque: UnsafeMutableRawPointer?
) {
    guard let handle, let partitions, let callbacks = RDKafkaCallbacks.from(opaque) else { return }
    callbacks.rebalance(handle: handle, code: code, partitions: partitions)
}
