import Kensho
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The progress of a long load or push, drawn on one line of standard error
/// (`Loader.progress` and `Session.pushProgress` call it). Set only when standard error is a terminal. It stays silent for the
/// first second, so a small tree never flickers a line — "large" is measured in time,
/// which is what a person waiting notices — then redraws at most ten times a second,
/// and erases itself at the end, before the load's summary is printed.
final class ProgressLine: Sendable {
    /// What to draw when; pure, so it is tested without a terminal or a clock.
    struct State {
        static let delay = 1.0
        static let interval = 0.1

        /// What is being done ("hashing", "pushing") and how amounts read.
        var verb = "hashing"
        var unit = Unit.bytes

        enum Unit: Sendable { case bytes, rows }

        init(verb: String = "hashing", unit: Unit = .bytes) {
            self.verb = verb
            self.unit = unit
        }

        private var started: Double?
        private var lastDrawn = -Double.infinity
        private var visible = false

        /// The text to write for a report at time `now`, if any.
        mutating func update(done: Int, total: Int, now: Double) -> String? {
            if done >= total {
                defer { self = State(verb: verb, unit: unit) }
                return visible ? "\r\u{1B}[K" : nil
            }
            let start = started ?? now
            started = start
            guard now - start >= State.delay, now - lastDrawn >= State.interval else { return nil }
            lastDrawn = now
            visible = true
            let amount = unit == .bytes ? "\(ProgressLine.bytes(done)) of \(ProgressLine.bytes(total))"
                : "\(TableRenderer.grouped(done)) of \(TableRenderer.grouped(total)) rows"
            return "\r\u{1B}[K\(verb): \(ProgressLine.percent(done, total))% (\(amount))"
        }
    }

    private let state: Mutex<State>
    private let sink: FileSink

    init(sink: FileSink, verb: String = "hashing", unit: State.Unit = .bytes) {
        self.sink = sink
        state = Mutex(State(verb: verb, unit: unit))
    }

    func report(done: Int, total: Int) {
        let now = ProgressLine.monotonicSeconds()
        if let text = state.withLock({ $0.update(done: done, total: total, now: now) }) { sink.write(text) }
    }

    static func percent(_ done: Int, _ total: Int) -> Int {
        total > 0 ? min(100, done * 100 / total) : 100
    }

    /// `512 B`, `3.4 MiB`, `1.2 GiB`.
    static func bytes(_ count: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(count) B" }
        return "\((value * 10).rounded() / 10) \(units[unit])"
    }

    static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
