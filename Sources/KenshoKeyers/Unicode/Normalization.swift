/// Unicode normalization as the keyers apply it, for callers outside the keyers
/// (tests, other tools that must agree with a keyer's first step).
public enum Normalization {
    /// Appends the Unicode NFKC form of `input` (UTF-8) to `output`, composed as NFKC
    /// requires (`ｶﾞ` gives ガ U+30AC, not カ U+3099). Returns false, leaving `output`
    /// as it was, when `input` is not well-formed UTF-8.
    public static func nfkc(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        let appended: Void? = Folding.withFolded(input, lowercase: false) { output.append(contentsOf: $0) }
        return appended != nil
    }

    /// The Unicode NFKC form of `string`. Compare results by `unicodeScalars` or `utf8`:
    /// `String ==` treats canonically equivalent strings as equal.
    public static func nfkc(_ string: String) -> String {
        var string = string
        var output: [UInt8] = []
        _ = string.withUTF8 { nfkc($0, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }
}
