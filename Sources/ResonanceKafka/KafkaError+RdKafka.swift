import CRdKafka

extension KafkaError {
    /// Classifies a librdkafka response code so callers can switch on the few kinds that need
    /// different handling, and keeps the librdkafka text for the rest.
    init(responseCode: rd_kafka_resp_err_t, context: String) {
        let reason = String(cString: rd_kafka_err2str(responseCode))
        switch responseCode {
        case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
            self.init(.unknownTopic, "\(context): topic does not exist (\(reason)); create it first")
        case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
            self.init(.topicAlreadyExists, "\(context): \(reason)")
        case RD_KAFKA_RESP_ERR__TIMED_OUT:
            self.init(.timedOut, "\(context): timed out (\(reason)); check that the broker is up and not overloaded")
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__RESOLVE:
            self.init(.brokerUnreachable, "\(context): no broker reachable (\(reason)); check the bootstrap servers and that the broker runs")
        case RD_KAFKA_RESP_ERR__INVALID_ARG, RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
            self.init(.invalidArgument, "\(context): \(reason)")
        default:
            self.init(.librdkafka(responseCode.rawValue), "\(context): \(reason)")
        }
    }

    /// Takes ownership of a librdkafka error object, destroying it.
    init(consuming error: OpaquePointer, context: String) {
        let code = rd_kafka_error_code(error)
        let text = String(cString: rd_kafka_error_string(error))
        rd_kafka_error_destroy(error)
        self.init(responseCode: code, context: context)
        if !message.contains(text) { message += " [\(text)]" }
    }
}
