import Foundation

@testable import KenshoKeyers

/// The deliberately simple reference the fast path is checked against: Foundation's
/// NFKC, then NFC (the fix for `ｶﾞ`), then each scalar's lower-case mapping.
enum FoundationReference {
    static func nfkc(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
    }

    static func fold(_ text: String, lowercase: Bool) -> String {
        let normalized = nfkc(text)
        guard lowercase else { return normalized }
        return normalized.unicodeScalars.map { $0.properties.lowercaseMapping }.joined()
    }
}

/// How the fast path alone folds `text`: the bytes, or nil when it hands over to the
/// slow path (or the input is malformed).
func fastFold(_ text: String, lowercase: Bool) -> [UInt8]? {
    var text = text
    return text.withUTF8 { input in
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(input.count, 1)) { buffer in
            var sink = ByteSink(output: buffer.baseAddress!)
            guard case .folded = Folding.foldFast(input, lowercase: lowercase, into: &sink) else { return nil }
            return Array(buffer.prefix(sink.count))
        }
    }
}

/// How the slow path alone folds `text`.
func slowFold(_ text: String, lowercase: Bool) -> [UInt8]? {
    var text = text
    return text.withUTF8 { SlowFolding.fold($0, lowercase: lowercase) }
}
