@testable import KenshoKeyers
import FuzzSupport

/// Every registered keyer on the input's bytes as they are and decoded (malformed bytes
/// replaced by U+FFFD), checking the `Keyer` contract:
/// - earlier output is never touched, and nothing is appended unless the result is `.ok`;
/// - an `.ok` key is non-empty UTF-8 (`raw` copies any bytes, so only non-empty);
/// - malformed UTF-8 is `.invalid("not valid UTF-8")` for every keyer but `raw`;
/// - a key is a canonical form: keying it again gives it back unchanged (but for two
///   known exceptions, see `checkStable`).
/// And the folding every text keyer starts with: where the fast path folds a value, the
/// slow path (Foundation's NFKC) folds it the same, and the fast path never writes more
/// bytes than it read (its output buffer is the input's size).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKeyers(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    let inputIsUTF8 = isUTF8(input)
    var decoded = String(decoding: input, as: UTF8.self)
    decoded.withUTF8 { text in
        for keyer in keyers {
            if !inputIsUTF8 { check(keyer, input, isUTF8: false) }
            check(keyer, text, isUTF8: true)  // the decoding is well-formed
        }
        checkFolding(text)
    }
    return 0
}

/// The registry's keyers, made once (`KeyerRegistry.all` builds them on every call).
private let keyers = KeyerRegistry.all

/// Checks one keying of `input`, which is well-formed UTF-8 or not as `isUTF8` says.
private func check(_ keyer: any Keyer, _ input: UnsafeBufferPointer<UInt8>, isUTF8 inputIsUTF8: Bool) {
    let earlier: [UInt8] = [0x7C]
    var output = earlier
    let result = keyer.key(input, into: &output)
    invariant(output.starts(with: earlier), "\(keyer.id) overwrote earlier output")
    let isRaw = keyer.id.name == "raw"
    if !isRaw, !inputIsUTF8 {
        invariant(result == .invalid("not valid UTF-8"), "\(keyer.id) gives \(result) for malformed UTF-8")
    }
    guard result == .ok else {
        invariant(output == earlier, "\(keyer.id) appended output with \(result)")
        return
    }
    let key = Array(output.dropFirst())
    invariant(!key.isEmpty, "\(keyer.id) gives an empty key")
    if !isRaw { invariant(isUTF8(key), "\(keyer.id) gives a key that is not UTF-8") }
    checkStable(keyer, key, input: input)
}

/// Keying a key gives it back, but for two known ways a version-1 key can change once
/// more (a keyer's output is fixed within a version, so these are reported, not fixed):
/// - `name` and `kana` drop spaces and middle dots after normalizing, so what is left
///   can need normalizing again: a ー can come to stand between digits (`22ｰ 123` keys
///   to `22ー123`, which keys to `22-123`), a combining mark can meet a letter (`e ́`
///   keys to e U+0301, which keys to é);
/// - lower-casing İ after NFKC gives i + U+0307, which can land before a combining mark
///   of a lower class (`İﾞ` keys to i U+0307 U+3099): not NFC, so the next NFKC reorders.
/// In those cases the second key must be stable.
private func checkStable(_ keyer: any Keyer, _ key: [UInt8], input: UnsafeBufferPointer<UInt8>) {
    guard let again = rekey(keyer, key) else {
        invariant(false, "\(keyer.id): the key \(show(key)) has no key, input \(show(Array(input)))")
        return
    }
    guard again != key else { return }
    let dottedI: [UInt8] = [0x69, 0xCC, 0x87]
    let known = keyer.id.version == 1 && (["name", "kana"].contains(keyer.id.name) || contains(key, dottedI))
    invariant(known && rekey(keyer, again) == again,
              "\(keyer.id) is not idempotent: \(show(key)) keys to \(show(again)), input \(show(Array(input)))")
}

private func contains(_ bytes: [UInt8], _ part: [UInt8]) -> Bool {
    bytes.indices.contains { bytes[$0...].starts(with: part) }
}

private func rekey(_ keyer: any Keyer, _ key: [UInt8]) -> [UInt8]? {
    var output: [UInt8] = []
    let result = key.withUnsafeBufferPointer { keyer.key($0, into: &output) }
    return result == .ok ? output : nil
}

private func checkFolding(_ input: UnsafeBufferPointer<UInt8>) {
    for lowercase in [false, true] {
        let fast = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(input.count, 1)) { buffer -> [UInt8]? in
            var sink = ByteSink(output: buffer.baseAddress!)
            guard case .folded = Folding.foldFast(input, lowercase: lowercase, into: &sink) else { return nil }
            invariant(sink.count <= input.count, "the fast path wrote \(sink.count) bytes for \(input.count)")
            return Array(buffer.prefix(sink.count))
        }
        guard let fast else { continue }
        let slow = SlowFolding.fold(input, lowercase: lowercase)
        invariant(fast == slow, "fast and slow folding differ (lowercase: \(lowercase)): \(show(fast)), \(show(slow ?? []))")
    }
}

private func show(_ bytes: [UInt8]) -> String {
    "\"\(String(decoding: bytes, as: UTF8.self))\" [\(bytes.map { String($0, radix: 16) }.joined(separator: " "))]"
}
