/// `text@1`: Unicode NFKC, the Unicode lower-case mapping, white space collapsed to
/// single ASCII spaces and trimmed, hyphen variants as "-", and ー as "-" only between
/// ASCII letters or digits (the rules in full: `TextRules`). The output is NFC UTF-8.
///
/// "Case fold" here is the full lower-case mapping of each scalar (UnicodeData and
/// SpecialCasing, without language rules): `Ä` → `ä`, `İ` → `i̇`; `ß` stays `ß`.
public struct TextKeyer: Keyer {
    public let id = KeyerID("text", 1)

    public init() {}

    public func key(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> KeyResult {
        Self.key(input, profile: .text, into: &output)
    }

    /// Folds `input` and applies `profile` in one pass, appending the result: the path
    /// `text`, `name` and `kana` share. The fast path writes into a stack buffer for
    /// short values; the slow path folds first and then applies the same rules.
    @inline(__always)
    static func key(_ input: UnsafeBufferPointer<UInt8>, profile: TextRules.Profile, into output: inout [UInt8])
        -> KeyResult
    {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(input.count, 1)) { buffer in
            var writer = TextRules.Writer(output: buffer.baseAddress!, profile: profile)
            switch Folding.foldFast(input, lowercase: true, into: &writer) {
            case .folded:
                return finish(&writer, into: &output)
            case .malformed:
                return .notUTF8
            case .needsSlowPath:
                guard let folded = SlowFolding.fold(input, lowercase: true) else { return .notUTF8 }
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(folded.count, 1)) { slowBuffer in
                    var writer = TextRules.Writer(output: slowBuffer.baseAddress!, profile: profile)
                    folded.withUnsafeBufferPointer { writer.replay($0) }
                    return finish(&writer, into: &output)
                }
            }
        }
    }

    @inline(__always)
    private static func finish(_ writer: inout TextRules.Writer, into output: inout [UInt8]) -> KeyResult {
        writer.finish()
        guard writer.count > 0 else { return .empty }
        output.append(contentsOf: UnsafeBufferPointer(start: writer.output, count: writer.count))
        return .ok
    }
}
