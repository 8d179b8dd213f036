#if canImport(Glibc)
import Glibc
#endif

/// Calls `body` with `posix_spawn` attributes for a child started as from a shell. The
/// test runner's threads block signals, and a spawned child inherits the mask: it
/// starts here with none blocked, and with `defaults` (SIGINT, say) set back to their
/// default action.
func withShellSpawnAttributes<R>(defaults: [Int32] = [],
                                 _ body: (UnsafePointer<posix_spawnattr_t>) throws -> R) rethrows -> R {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var flags = POSIX_SPAWN_SETSIGMASK
    if !defaults.isEmpty {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in defaults { sigaddset(&set, signal) }
        posix_spawnattr_setsigdefault(&attributes, &set)
        flags |= POSIX_SPAWN_SETSIGDEF
    }
    posix_spawnattr_setflags(&attributes, Int16(flags))
    return try withUnsafePointer(to: &attributes) { try body($0) }
}
