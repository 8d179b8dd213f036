/// The ASCII digits of a value's NFKC form, which `digits`, `phone` and `postal` key on.
///
/// Composition never creates or removes an ASCII digit, so the digits of NFKC(s) are
/// the digits of each scalar's own mapping, and the fast path needs no context: ASCII
/// digits and full-width ０–９ are kept, every other scalar `FastScalar` knows is
/// dropped (none of them maps to a digit), and anything else (①, ⑴, ㋀, superscripts)
/// sends the whole value to the slow path.
enum DigitExtraction {
    /// Calls `body` with the digits of `input`; nil when `input` is not UTF-8.
    @inline(__always)
    static func withDigits<Result>(
        _ input: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(input.count, 1)) { buffer in
            let start = buffer.baseAddress!
            var count = 0
            var index = 0
            var needsSlowPath = false
            scan: while index < input.count {
                let byte = input[index]
                if byte < 0x80 {
                    if byte &- 0x30 < 10 {
                        start[count] = byte
                        count += 1
                    }
                    index += 1
                    continue
                }
                guard let (scalar, length) = UTF8Scalars.decode(input, at: index) else { return nil }
                switch FastScalar.of(scalar) {
                case .fullwidthASCII:
                    if scalar &- 0xFF10 < 10 {
                        start[count] = UInt8(scalar - 0xFEE0)
                        count += 1
                    }
                case .other:
                    needsSlowPath = true
                    break scan
                case .stable, .space, .latinCapital, .halfwidthKana:
                    break
                }
                index += length
            }
            if !needsSlowPath {
                return body(UnsafeBufferPointer(start: start, count: count))
            }
            guard let folded = SlowFolding.fold(input, lowercase: false) else { return nil }
            let digits = folded.filter { $0 &- 0x30 < 10 }
            return digits.withUnsafeBufferPointer(body)
        }
    }
}
