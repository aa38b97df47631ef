import Logging

enum LogSetup {
    /// Bootstraps swift-log once (to standard error, at `level`) and returns the root logger.
    static func start(level: String) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: level) ?? .info
            return handler
        }
        var logger = Logger(label: "resonance")
        logger.logLevel = Logger.Level(rawValue: level) ?? .info
        return logger
    }
}
