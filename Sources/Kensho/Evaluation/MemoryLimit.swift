#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How much memory kensho may plan to use: the machine's physical memory, or less
/// when the process runs under an address-space limit (`ulimit -v`).
enum MemoryLimit {
    static let bytes: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        var limit = pages > 0 && pageSize > 0 ? pages * pageSize : Int.max
        var address = rlimit()
        if getrlimit(RLIMIT_AS_VALUE, &address) == 0, address.rlim_cur != rlim_t.max {
            limit = min(limit, Int(clamping: address.rlim_cur))
        }
        return limit
    }()

    #if canImport(Glibc)
    private static let RLIMIT_AS_VALUE = __rlimit_resource_t(RLIMIT_AS.rawValue)
    #else
    private static let RLIMIT_AS_VALUE = RLIMIT_AS
    #endif
}
