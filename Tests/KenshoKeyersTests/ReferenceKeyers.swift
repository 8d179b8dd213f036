@testable import KenshoKeyers

/// A deliberately simple implementation of `text`, `name`, `kana` and `digits`, written
/// from the contracts on `String`s and arrays of scalars with Foundation's NFKC: slow,
/// and easy to check by reading. The keyers must agree with it byte for byte.
enum ReferenceKeyers {
    static let hyphens: Set<UInt32> = [0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2043, 0x2212, 0xFE63, 0xFF0D]

    static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar, scalar.isASCII else { return false }
        return scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
    }

    static func text(_ input: String) -> String? {
        var scalars = Array(FoundationReference.fold(input, lowercase: true).unicodeScalars)
        scalars = scalars.map { scalar -> Unicode.Scalar in
            if scalar.properties.isWhitespace { return " " }
            if hyphens.contains(scalar.value) { return "-" }
            return scalar
        }
        // ー runs with an ASCII letter or digit right before and right after
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "ー" else {
                index += 1
                continue
            }
            var end = index
            while end < scalars.count, scalars[end] == "ー" { end += 1 }
            if isASCIIAlphanumeric(index > 0 ? scalars[index - 1] : nil),
                isASCIIAlphanumeric(end < scalars.count ? scalars[end] : nil)
            {
                for position in index..<end { scalars[position] = "-" }
            }
            index = end
        }
        // Split scalars, not Characters: a space followed by a combining mark is one
        // Character, but the contract is about scalars.
        let words = scalars.split(separator: " ", omittingEmptySubsequences: true)
        let result = words.map { String(String.UnicodeScalarView($0)) }.joined(separator: " ")
        return result.isEmpty ? nil : result
    }

    static func name(_ input: String) -> String? {
        guard let text = text(input) else { return nil }
        let kept = text.unicodeScalars.filter { !["\u{20}", "\u{30FB}", "\u{B7}"].contains($0) }
        return kept.isEmpty ? nil : String(String.UnicodeScalarView(kept))
    }

    static func kana(_ input: String) -> String? {
        guard let name = name(input) else { return nil }
        let converted = name.unicodeScalars.map { scalar -> Unicode.Scalar in
            switch scalar.value {
            case 0x30A1...0x30F6, 0x30FD, 0x30FE: return Unicode.Scalar(scalar.value - 0x60)!
            default: return scalar
            }
        }
        return String(String.UnicodeScalarView(converted))
    }

    static func digits(_ input: String) -> String? {
        let digits = FoundationReference.nfkc(input).unicodeScalars.filter { ("0"..."9").contains($0) }
        return digits.isEmpty ? nil : String(String.UnicodeScalarView(digits))
    }
}
