import Foundation

/// Shows how far a long step of a command has got (done of total): a redrawn bar on a terminal,
/// a line on standard error every 5 s otherwise (logs, CI). Every command's progress goes
/// through it: `evaluate`, `calibrate` and `produce` directly, `run --until-caught-up` and
/// `replay` through ``DrainProgress``; `--no-progress` turns it off.
final class StepProgress {
    private let label: String
    private let interactive = isatty(STDERR_FILENO) == 1
    private var started = ContinuousClock.now
    private var lastShown = ContinuousClock.now
    private var drawn = false

    init(_ label: String) {
        self.label = label
    }

    /// Starts timing a new step of the same command (a second replay, say).
    func restart() {
        started = .now
        lastShown = .now
    }

    /// Reports `done` of `total`, with `detail` (lag per partition, say) at the end of the line.
    func report(_ done: Int, of total: Int, detail: String = "") {
        let now = ContinuousClock.now
        let elapsed = started.duration(to: now).seconds
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let rate = Double(done) / max(elapsed, 1e-3)
        let eta = rate > 0 ? Double(total - done) / rate : 0
        if interactive {
            guard lastShown.duration(to: now) >= .milliseconds(200) || done == total else { return }
            lastShown = now
            let width = 24, filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let line = String(format: "\r%@ [%@] %3.0f%%  %d of %d  %.0f/s  ETA %.0fs  %@\u{1B}[K", label, bar, fraction * 100, done, total, rate, eta, detail)
            FileHandle.standardError.write(Data(line.utf8))
            drawn = true
            if done == total { finish() }
        } else if lastShown.duration(to: now) >= .seconds(5) {
            lastShown = now
            let line = String(format: "%@: %d of %d (%.0f%%), %.0f/s, ETA %.0f s%@\n", label, done, total, fraction * 100, rate, eta, detail.isEmpty ? "" : ", " + detail)
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    /// Ends the bar's line, if one was drawn.
    func finish() {
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        drawn = false
    }
}
