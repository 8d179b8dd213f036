/// `email@1`: white space (Unicode White_Space) trimmed from both ends, and every
/// scalar lower-cased (ASCII, and the Unicode lower-case mapping beyond it). Nothing
/// else changes: no NFKC, no dots or `+tags` removed, since what a mail server treats
/// as the same mailbox is its own rule.
public struct EmailKeyer: Keyer {
    public let id = KeyerID("email", 1)

    public init() {}

    public func key(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> KeyResult {
        // First pass: validate, and find the first and last non-space scalars.
        var start = -1
        var end = 0
        var index = 0
        var isASCII = true
        while index < input.count {
            guard let (scalar, length) = UTF8Scalars.decode(input, at: index) else { return .notUTF8 }
            if !WhiteSpace.contains(scalar) {
                if start < 0 { start = index }
                end = index + length
            }
            if length > 1 { isASCII = false }
            index += length
        }
        guard start >= 0 else { return .empty }
        let trimmed = UnsafeBufferPointer(rebasing: input[start..<end])
        if isASCII {
            let first = output.count
            output.append(contentsOf: trimmed)
            output.withUnsafeMutableBufferPointer { appended in
                for index in first..<appended.count where appended[index] &- 0x41 < 26 {
                    appended[index] |= 0x20
                }
            }
            return .ok
        }
        index = 0
        while index < trimmed.count {
            let (scalar, length) = UTF8Scalars.decode(trimmed, at: index)!
            if scalar < 0x80 {
                let byte = UInt8(scalar)
                output.append(byte &- 0x41 < 26 ? byte | 0x20 : byte)
            } else {
                let properties = Unicode.Scalar(scalar)!.properties
                if properties.changesWhenLowercased {
                    output.append(contentsOf: properties.lowercaseMapping.utf8)
                } else {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: trimmed[index..<index + length]))
                }
            }
            index += length
        }
        return .ok
    }
}
