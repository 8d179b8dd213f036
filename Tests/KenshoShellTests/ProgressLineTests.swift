import Testing
@testable import KenshoShell

/// The progress line of long loads: silent for the first second, then at most ten
/// redraws a second, and erased at the end.
@Suite("Progress line")
struct ProgressLineTests {
    @Test func waitsThenThrottlesThenErases() {
        var state = ProgressLine.State()
        #expect(state.update(done: 10, total: 100, now: 7.0) == nil)
        #expect(state.update(done: 20, total: 100, now: 7.9) == nil)
        #expect(state.update(done: 30, total: 100, now: 8.0) == "\r\u{1B}[Khashing: 30% (30 B of 100 B)")
        #expect(state.update(done: 31, total: 100, now: 8.05) == nil)
        #expect(state.update(done: 40, total: 100, now: 8.15) == "\r\u{1B}[Khashing: 40% (40 B of 100 B)")
        #expect(state.update(done: 100, total: 100, now: 8.16) == "\r\u{1B}[K")
        // The next load starts afresh: nothing is on the screen to erase.
        #expect(state.update(done: 5, total: 100, now: 20) == nil)
        #expect(state.update(done: 100, total: 100, now: 20.5) == nil)
    }

    @Test func pushesCountRows() {
        var state = ProgressLine.State(verb: "pushing", unit: .rows)
        #expect(state.update(done: 1, total: 2_000_000, now: 1.0) == nil)
        #expect(state.update(done: 1_250_000, total: 2_000_000, now: 2.5) == "\r\u{1B}[Kpushing: 62% (1,250,000 of 2,000,000 rows)")
    }

    @Test(arguments: [(0, "0 B"), (1023, "1023 B"), (1536, "1.5 KiB"), (5 << 20, "5.0 MiB"),
                      (1_739_518_976, "1.6 GiB")])
    func byteCounts(_ count: Int, _ text: String) {
        #expect(ProgressLine.bytes(count) == text)
    }
}
