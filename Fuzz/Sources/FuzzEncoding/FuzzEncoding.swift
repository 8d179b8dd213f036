#if canImport(Glibc)
import Glibc
#endif
@testable import Kensho
import FuzzSupport

/// Encoding detection and decoding: every encoding `load` accepts, strict and with
/// `errors=replace`, must give valid UTF-8 or a `Diagnostic` with its place; with
/// `replace` a named encoding never fails. Three pairs of implementations must agree:
/// the engine's UTF-8 validator and the standard library's decoder, and the CP932
/// table decoder and glibc iconv, strict and replacing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEncoding(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = pinnedConverters
    let input = fuzzInput(data, size)
    checkValidator(input)
    checkDetector(input)
    checkCP932(input)
    for requested in [nil, "utf-8", "cp932", "euc-jp", "utf-16", "utf-16le", "utf-16be"] {
        for errors in [nil, "replace"] {
            checkDecoding(input, requested: requested, errors: errors)
        }
    }
    return 0
}

private let path = "fuzz.txt"

/// One open iconv descriptor per encoding, never closed: glibc unloads a converter's
/// module when its last descriptor closes, and loading it again for every conversion
/// (as each `TextDecoding.convert` opens and closes its own) would be most of the time.
nonisolated(unsafe) private let pinnedConverters: [iconv_t?] = TextDecoding.iconvNames.values.map { iconv_open("UTF-8", $0) }

/// `UTF8Validation` (eight-byte and 32-bit fast paths) finds the same first bad byte as
/// a plain scalar-by-scalar reading.
private func checkValidator(_ input: UnsafeBufferPointer<UInt8>) {
    let found = UTF8Validation.firstInvalidOffset(in: input)
    let expected = referenceFirstInvalidOffset(input)
    invariant(found == expected, "UTF-8 validation says \(String(describing: found)), reference \(String(describing: expected))")
}

private func referenceFirstInvalidOffset(_ input: UnsafeBufferPointer<UInt8>) -> Int? {
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = input.makeIterator()
    var offset = 0
    while true {
        switch parser.parseScalar(from: &iterator) {
        case .valid(let encoded): offset += encoded.count
        case .emptyInput: return nil
        case .error: return offset
        }
    }
}

private func checkDetector(_ input: UnsafeBufferPointer<UInt8>) {
    let detection = EncodingDetector.detect(input)
    invariant(["utf-8", "cp932", "euc-jp"].contains(detection.encoding), "detected '\(detection.encoding)'")
    invariant((0...1).contains(detection.confidence), "confidence \(detection.confidence)")
    if detection.isValidUTF8 { invariant(isUTF8(input), "detector calls invalid UTF-8 valid") }
}

/// The table decoder is built from iconv's CP932 mapping, so the two must agree byte for
/// byte, on the replacement count, and on where strict decoding fails.
private func checkCP932(_ input: UnsafeBufferPointer<UInt8>) {
    for replace in [false, true] {
        let table: Result<[UInt8], CP932Decoder.Failure> = Result { () throws(CP932Decoder.Failure) -> [UInt8] in
            let (arena, replaced) = try CP932Decoder.decode(input, replace: replace)
            return Array(UnsafeBufferPointer(start: arena.base, count: arena.count)) + [UInt8(truncatingIfNeeded: replaced)]
        }
        let iconv: Result<[UInt8], any Error> = Result {
            let (arena, replaced) = try TextDecoding.convert(input, from: "CP932", encodingName: "cp932", path: path,
                                                             replace: replace)
            return Array(UnsafeBufferPointer(start: arena.base, count: arena.count)) + [UInt8(truncatingIfNeeded: replaced)]
        }
        switch (table, iconv) {
        case (.success(let a), .success(let b)):
            invariant(a == b, "CP932 table and iconv decode differently (replace: \(replace))")
        case (.failure(let failure), .failure(let error)):
            let offset = (error as? Diagnostic)?.fileLocation?.byteOffset
            invariant(offset == failure.offset, "CP932 table fails at \(failure.offset), iconv at \(String(describing: offset))")
        default:
            invariant(false, "CP932 table and iconv disagree on success: \(table), \(iconv)")
        }
    }
}

private func checkDecoding(_ input: UnsafeBufferPointer<UInt8>, requested: String?, errors: String?) {
    let what = "encoding \(requested ?? "auto"), errors \(errors ?? "strict")"
    do {
        let decoded = try TextDecoding.decode(input, path: path, requested: requested, errors: errors)
        let text = decoded.converted.map { UnsafeBufferPointer(start: $0.base, count: $0.count) } ?? input
        invariant(decoded.contentStart >= 0 && decoded.contentStart <= text.count, "\(what): content starts at \(decoded.contentStart)")
        invariant(isUTF8(text), "\(what): decoded text is not UTF-8")
        invariant((0...1).contains(decoded.decision.confidence), "\(what): confidence \(decoded.decision.confidence)")
        if errors == nil { invariant(decoded.decision.replacedBytes == 0, "\(what): replaced bytes when strict") }
    } catch {
        LoadChecks.checkFailure(error, path: path, count: input.count)
        // Replacing, a named encoding reads anything; only `auto` may still refuse to guess.
        invariant(errors == nil || requested == nil, "\(what) failed: \(error)")
    }
}
