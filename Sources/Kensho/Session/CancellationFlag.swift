import Synchronization

/// Set from a signal handler when the user presses Ctrl-C; long loops poll it and stop
/// the running statement, which then fails with "cancelled" and leaves the session as
/// it was before the statement.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public var isSet: Bool { flag.load(ordering: .relaxed) }
    public func set() { flag.store(true, ordering: .relaxed) }
    public func reset() { flag.store(false, ordering: .relaxed) }
}

/// The error a statement fails with when it was cancelled.
public struct Cancelled: Error {}
