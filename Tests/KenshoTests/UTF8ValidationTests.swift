import Testing
@testable import Kensho

/// The UTF-8 validator, fast paths included, against the standard library's decoder.
@Suite("UTF-8 validation")
struct UTF8ValidationTests {
    static func offset(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset(in: $0) }
    }

    @Test(arguments: [
        ([0xE3, 0x81, 0x82], nil),                  // あ
        ([0xE0, 0x80, 0x80, 0x41], 0),              // overlong three-byte
        ([0xE0, 0xA0, 0x80, 0x41], nil),            // smallest valid E0
        ([0xED, 0xA0, 0x80, 0x41], 0),              // a surrogate
        ([0xED, 0x9F, 0xBF, 0x41], nil),            // last before the surrogates
        ([0x41, 0xC0, 0xAF], 1),                    // overlong two-byte
        ([0xF4, 0x90, 0x80, 0x80], 0),              // above U+10FFFF
        ([0xF0, 0x9F, 0x98, 0x80], nil),            // 😀
        ([0x61, 0x62, 0xE6, 0x97], 2),              // cut short
        ([0xE6, 0x97, 0xA5, 0xE6, 0x97, 0xA5, 0xE6, 0x97, 0xA5, 0x2C, 0x80], 10),
    ] as [([UInt8], Int?)])
    func knownCases(_ bytes: [UInt8], _ expected: Int?) {
        #expect(UTF8ValidationTests.offset(bytes) == expected)
    }

    @Test func agreesWithTheStandardLibraryOnRandomInput() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [[0x41], [0x2C], [0xE3, 0x81, 0x82], [0xE6, 0x97, 0xA5], [0xC3, 0xA9], [0xF0, 0x9F, 0x98, 0x80],
                                 [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEF, 0xBC, 0x91]]
        for _ in 0..<5_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &generator) {
                bytes += pieces.randomElement(using: &generator)!
            }
            // Sometimes damage one byte.
            if !bytes.isEmpty, Bool.random(using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect((UTF8ValidationTests.offset(bytes) == nil) == valid, "\(bytes)")
        }
    }
}
