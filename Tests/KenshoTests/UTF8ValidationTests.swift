import Testing
@testable import Kensho

/// The UTF-8 validator, fast paths included, against the standard library's decoder:
/// short inputs (the Swift scan alone) and inputs long enough for simdjson's SIMD check
/// to decide first.
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
        // The same inside ASCII long enough for the SIMD check, at each offset in a word.
        for before in [UTF8Validation.simdThreshold, UTF8Validation.simdThreshold + 1, 300, 333, 1_000] {
            let padded = [UInt8](repeating: 0x61, count: before) + bytes + [UInt8](repeating: 0x62, count: 70)
            #expect(UTF8ValidationTests.offset(padded) == expected.map { $0 + before }, "\(before) bytes before \(bytes)")
        }
    }

    /// Every lead byte with every second byte, and a third and fourth byte from each
    /// class (ASCII, the continuation bounds, past them), at a place where the SIMD
    /// check decides: valid exactly when the standard library decodes it.
    @Test func everyTwoByteStartAgreesWithTheStandardLibrary() {
        let padding = [UInt8](repeating: 0x2C, count: 301)
        for lead in 0...255 {
            for second in 0...255 {
                for third: UInt8 in [0x41, 0x80, 0xBF, 0xC0] {
                    for fourth: UInt8 in [0x80, 0x41] {
                        let bytes = padding + [UInt8(lead), UInt8(second), third, fourth] + padding
                        let valid = String(validating: bytes, as: UTF8.self) != nil
                        let found = UTF8ValidationTests.offset(bytes)
                        if (found == nil) != valid {
                            Issue.record("\(String(lead, radix: 16)) \(String(second, radix: 16)) \(String(third, radix: 16)) \(String(fourth, radix: 16)): \(String(describing: found)), valid \(valid)")
                            return
                        }
                    }
                }
            }
        }
    }

    @Test func agreesWithTheStandardLibraryOnRandomInput() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [[0x41], [0x2C], [0xE3, 0x81, 0x82], [0xE6, 0x97, 0xA5], [0xC3, 0xA9], [0xF0, 0x9F, 0x98, 0x80],
                                 [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEF, 0xBC, 0x91]]
        for _ in 0..<5_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...400, using: &generator) {
                bytes += pieces.randomElement(using: &generator)!
            }
            // Sometimes damage one byte.
            if !bytes.isEmpty, Bool.random(using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect((UTF8ValidationTests.offset(bytes) == nil) == valid, "\(bytes)")
            let scanned = bytes.withUnsafeBufferPointer { UTF8Validation.scanForFirstInvalidOffset(in: $0) }
            #expect(UTF8ValidationTests.offset(bytes) == scanned, "\(bytes)")
        }
    }
}
