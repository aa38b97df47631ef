import ResonanceEngine

/// A ``PipelineProgress`` handed from the processing thread to readers.
///
/// `@unchecked Sendable` because `PartitionProcessor` is not declared `Sendable`, yet the copies
/// in a progress report are values whose storage is copy-on-write: the processing thread copies a
/// page before it next writes it, so readers on other threads only ever see pages nobody writes.
struct ProgressCopy: @unchecked Sendable {
    let progress: PipelineProgress
}
