import Testing

@testable import KenshoKeyers

/// What a keyer made of a value: its result and the bytes it appended.
struct Keyed: Equatable, CustomStringConvertible {
    var result: KeyResult
    var bytes: [UInt8]

    var description: String {
        let text = String(decoding: bytes, as: UTF8.self)
        return "\(result) \"\(text)\" [\(scalarCodes(text))]"
    }
}

/// Keys `input` with `keyer`, checking the protocol's promise that `output` is left
/// as it was unless the result is `.ok`.
func keyed(_ keyer: any Keyer, _ input: String, sourceLocation: SourceLocation = #_sourceLocation) -> Keyed {
    var input = input
    let prefix: [UInt8] = [0x7C]  // an earlier field already in the buffer
    var output = prefix
    let result = input.withUTF8 { keyer.key($0, into: &output) }
    #expect(Array(output.prefix(1)) == prefix, "\(keyer.id) overwrote earlier output", sourceLocation: sourceLocation)
    if result != .ok {
        #expect(output == prefix, "\(keyer.id) appended output with \(result)", sourceLocation: sourceLocation)
    }
    return Keyed(result: result, bytes: Array(output.dropFirst()))
}

/// Expects `keyer` to give exactly `expected` for `input`, compared as UTF-8 bytes
/// (never with `String ==`, which equates canonically equivalent strings).
func expectKey(
    _ keyer: any Keyer, _ input: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let actual = keyed(keyer, input, sourceLocation: sourceLocation)
    #expect(
        actual == Keyed(result: .ok, bytes: Array(expected.utf8)),
        "\(keyer.id) of \"\(input)\"", sourceLocation: sourceLocation)
}

/// Expects `keyer` to give `.empty`, or `.invalid` with a reason containing `reason`.
func expectNoKey(
    _ keyer: any Keyer, _ input: String, invalidBecause reason: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let actual = keyed(keyer, input, sourceLocation: sourceLocation)
    if let reason {
        guard case .invalid(let actualReason) = actual.result else {
            Issue.record("\(keyer.id) of \"\(input)\": expected invalid, got \(actual)", sourceLocation: sourceLocation)
            return
        }
        #expect(actualReason.contains(reason), "\(keyer.id) of \"\(input)\"", sourceLocation: sourceLocation)
    } else {
        #expect(actual.result == .empty, "\(keyer.id) of \"\(input)\": got \(actual)", sourceLocation: sourceLocation)
    }
}

/// Expects every input to give the same key as the first, and that key to be `expected`.
func expectSameKey(
    _ keyer: any Keyer, _ inputs: [String], _ expected: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    for input in inputs {
        expectKey(keyer, input, expected, sourceLocation: sourceLocation)
    }
}

/// `U+30AB U+3099`-style code points, for messages about invisible differences.
func scalarCodes(_ text: String) -> String {
    text.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
}
