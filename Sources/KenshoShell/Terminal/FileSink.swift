import Kensho

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An `OutputSink` over a file descriptor (standard output or standard error), written
/// with `write(2)` so output is never reordered by stdio buffers.
public final class FileSink: OutputSink, Sendable {
    private let descriptor: Int32

    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    public static let standardOutput = FileSink(descriptor: STDOUT_FILENO)
    public static let standardError = FileSink(descriptor: STDERR_FILENO)

    public func write(_ bytes: UnsafeRawBufferPointer) {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let n = Glibc.write(descriptor, pointer, remaining)
            if n < 0 {
                if errno == EINTR { continue }
                return  // a closed pipe (| head): nothing more to say
            }
            pointer += n
            remaining -= n
        }
    }
}
