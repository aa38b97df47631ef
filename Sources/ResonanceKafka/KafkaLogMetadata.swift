import Logging

/// The log metadata keys this module uses, in one place so dashboards can rely on them.
enum KafkaLogMetadata {
    static let facility = "kafka.facility"
    static let code = "kafka.code"
    static let topicPartition = "kafka.partition"
}
