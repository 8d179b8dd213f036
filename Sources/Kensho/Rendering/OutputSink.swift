/// Where rendered bytes go: standard output, a file, or a buffer in tests. Writers hand
/// over chunks of up to 64 KiB so a million-row CSV never sits in memory as one string.
public protocol OutputSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer)
}

extension OutputSink {
    public func write(_ string: String) {
        var string = string
        string.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }
}

/// Collects output in memory.
public final class BufferSink: OutputSink {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func write(_ bytes: UnsafeRawBufferPointer) { self.bytes.append(contentsOf: bytes) }
    public var text: String { String(decoding: bytes, as: UTF8.self) }
    public func clear() { bytes.removeAll() }
}

/// Batches small writes into 64 KiB chunks for a sink.
struct ChunkedWriter: ~Copyable {
    private let sink: any OutputSink
    private var buffer: [UInt8] = []

    init(_ sink: any OutputSink) {
        self.sink = sink
        buffer.reserveCapacity(1 << 16)
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= 1 << 16 { flush() }
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { append($0) }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { sink.write($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit {
        if !buffer.isEmpty { buffer.withUnsafeBytes { sink.write($0) } }
    }
}
