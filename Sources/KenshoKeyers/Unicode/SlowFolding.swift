import Foundation

/// The slow path of folding: full Unicode NFKC through Foundation, for strings holding
/// anything `FastScalar` does not classify.
///
/// Foundation's `precomposedStringWithCompatibilityMapping` alone is not NFKC on Linux
/// (`ｶﾞ` stays decomposed), so NFC is applied after it, then Hangul composition
/// (see `HangulComposition`). The result matches every NFKC line of Unicode's
/// NormalizationTest.txt.
///
/// ICU's normalizer, reachable through the toolchain's private `_FoundationICU` module,
/// is correct without the fixes and about twice as fast (0.34–0.50 M short strings a
/// second against 0.20–0.22 M for Foundation's NFKC + NFC, same run). It is not public
/// API and may change with any toolchain, and after the fast path only rare values get
/// here, so Foundation stays.
enum SlowFolding {
    /// NFKC of `input`, lower-cased when asked, as UTF-8; nil when `input` is not UTF-8.
    static func fold(_ input: UnsafeBufferPointer<UInt8>, lowercase: Bool) -> [UInt8]? {
        guard let string = String(validating: input, as: UTF8.self) else { return nil }
        let normalized = string.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
        var scalars = normalized.unicodeScalars.map(\.value)
        if HangulComposition.mayApply(to: scalars) {
            HangulComposition.compose(&scalars)
        }
        var output: [UInt8] = []
        output.reserveCapacity(normalized.utf8.count)
        for value in scalars {
            if value < 0x80 {
                let byte = UInt8(value)
                output.append(lowercase && byte &- 0x41 < 26 ? byte | 0x20 : byte)
                continue
            }
            let scalar = Unicode.Scalar(value)!
            if lowercase, scalar.properties.changesWhenLowercased {
                output.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            } else {
                UTF8Scalars.append(value, to: &output)
            }
        }
        return output
    }
}
