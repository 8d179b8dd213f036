import Dispatch

/// Runs two pieces of work at once on the two cores this tool is sized for, and
/// returns both results. Used where a load has independent passes over the same
/// read-only bytes (hashing the file while scanning it).
func concurrently<A, B>(_ first: () throws -> A, _ second: () throws -> B) throws -> (A, B) {
    nonisolated(unsafe) var a: Result<A, any Error>?
    nonisolated(unsafe) var b: Result<B, any Error>?
    withoutActuallyEscaping(first) { first in
        withoutActuallyEscaping(second) { second in
            nonisolated(unsafe) let first = first
            nonisolated(unsafe) let second = second
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                if index == 0 { a = Result { try first() } } else { b = Result { try second() } }
            }
        }
    }
    return (try a!.get(), try b!.get())
}

/// Runs `body` for each index in `0..<count`, spread over the available cores.
func concurrentlyForEach(_ count: Int, _ body: (Int) -> Void) {
    guard count > 1 else {
        if count == 1 { body(0) }
        return
    }
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: count) { body($0) }
    }
}
