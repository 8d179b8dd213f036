import CEditLine
import Kensho
import Synchronization

/// Ctrl-C handling. The handler only sets atomic flags (async-signal-safe): one the
/// running statement polls to cancel itself, one the REPL reads to tell an interrupted
/// line from end of input. Installed without SA_RESTART so a blocked read returns.
enum Interrupts {
    static let flag = CancellationFlag()
    static let lineInterrupted = Atomic<Bool>(false)

    private static let handler: @convention(c) (Int32) -> Void = { _ in
        Interrupts.flag.set()
        Interrupts.lineInterrupted.store(true, ordering: .relaxed)
    }

    static func install() {
        _ = ce_install_interrupt_handler(handler)
    }

    /// True once after an interrupt (and clears it).
    static func takeLineInterrupt() -> Bool {
        lineInterrupted.exchange(false, ordering: .relaxed)
    }
}
