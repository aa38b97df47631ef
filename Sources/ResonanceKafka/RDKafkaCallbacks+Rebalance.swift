import CRdKafka

extension RDKafkaCallbacks {
    /// Tells the application about the change, then applies it. The application hears about a
    /// revocation before the partitions go, and chooses start offsets before they are assigned.
    func rebalance(
        handle: OpaquePointer, code: rd_kafka_resp_err_t,
        partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>
    ) {
        let cooperative = String(cString: rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE"
        let moved = RDKafkaTopicPartitionList.partitions(of: partitions)
        switch code {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            logger.info("partitions assigned: \(moved)")
            let starts = rebalanceHandler?.assigned(moved) ?? [:]
            if let elements = partitions.pointee.elems {
                for index in 0..<Int(partitions.pointee.cnt) {
                    let element = elements[index]
                    let topicPartition = KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition)
                    elements[index].offset = (starts[topicPartition] ?? .committed).rawValue
                }
            }
            if cooperative {
                report(rd_kafka_incremental_assign(handle, partitions), context: "incremental assign")
            } else {
                report(rd_kafka_assign(handle, partitions), context: "assign")
            }
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            logger.info("partitions revoked: \(moved)")
            rebalanceHandler?.revoked(moved)
            if cooperative {
                report(rd_kafka_incremental_unassign(handle, partitions), context: "incremental unassign")
            } else {
                report(rd_kafka_assign(handle, nil), context: "unassign")
            }
        default:
            // librdkafka asks for an unassign on any other rebalance error.
            logger.error("rebalance failed: \(String(cString: rd_kafka_err2str(code))); dropping the assignment")
            rebalanceHandler?.revoked(moved)
            report(rd_kafka_assign(handle, nil), context: "unassign")
        }
    }

    private func report(_ code: rd_kafka_resp_err_t, context: String) {
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
        logger.error("\(KafkaError(responseCode: code, context: context).message)")
    }

    private func report(_ error: OpaquePointer?, context: String) {
        guard let error else { return }
        logger.error("\(KafkaError(consuming: error, context: context).message)")
    }
}
