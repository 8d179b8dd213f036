/// `raw@1`: the bytes as they are. Empty or white-space-only input (Unicode
/// White_Space) is `.empty`, as a blank field is in every other keyer; anything else is
/// copied unchanged, surrounding spaces and malformed UTF-8 included.
public struct RawKeyer: Keyer {
    public let id = KeyerID("raw", 1)

    public init() {}

    public func key(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> KeyResult {
        guard !Self.isBlank(input) else { return .empty }
        output.append(contentsOf: input)
        return .ok
    }

    static func isBlank(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < input.count {
            guard let (scalar, length) = UTF8Scalars.decode(input, at: index), WhiteSpace.contains(scalar) else {
                return false
            }
            index += length
        }
        return true
    }
}
