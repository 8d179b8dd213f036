/// Where folding sends its output, one scalar at a time, so a keyer can apply its own
/// rules in the same pass instead of reading the folded text again.
protocol FoldSink {
    /// An ASCII byte (white space included).
    mutating func ascii(_ byte: UInt8)
    /// A run of scalars in U+4000–U+9FFF, as `count` UTF-8 bytes (three per scalar): CJK
    /// ideographs, which no rule changes, so they are copied, not decoded and encoded.
    mutating func ideographs(_ bytes: UnsafePointer<UInt8>, count: Int)
    /// Any other scalar.
    mutating func scalar(_ value: UInt32)
}

/// A sink that writes the folded text itself, as UTF-8.
struct ByteSink: FoldSink {
    let output: UnsafeMutablePointer<UInt8>
    private(set) var count = 0

    init(output: UnsafeMutablePointer<UInt8>) {
        self.output = output
    }

    @inline(__always)
    mutating func ascii(_ byte: UInt8) {
        output[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func ideographs(_ bytes: UnsafePointer<UInt8>, count length: Int) {
        (output + count).update(from: bytes, count: length)
        count += length
    }

    @inline(__always)
    mutating func scalar(_ value: UInt32) {
        count += UTF8Scalars.encode(value, to: output + count)
    }
}

extension FoldSink {
    /// Sends already folded, well-formed UTF-8 (the slow path's result) to the sink.
    mutating func replay(_ folded: UnsafeBufferPointer<UInt8>) {
        var index = 0
        while index < folded.count {
            let byte = folded[index]
            if byte < 0x80 {
                ascii(byte)
                index += 1
            } else if UTF8Scalars.isIdeograph(folded, at: index) {
                let start = index
                repeat { index += 3 } while index < folded.count && UTF8Scalars.isIdeograph(folded, at: index)
                ideographs(folded.baseAddress! + start, count: index - start)
            } else if let (value, length) = UTF8Scalars.decode(folded, at: index) {
                scalar(value)
                index += length
            } else {
                index += 1  // unreachable: the slow path produces well-formed UTF-8
            }
        }
    }
}
