#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decides a text file's encoding and produces UTF-8 bytes.
///
/// UTF-8 (with or without a byte order mark) is used in place, with no copy. UTF-16
/// (with a BOM), CP932 and EUC-JP are converted by glibc iconv — CP932 rather than
/// strict SHIFT_JIS, because Windows exports use its extensions (①, 髙 as 0xFB-row
/// IBM characters, 0x8160 as U+FF5E). `auto` picks among them from the bytes and
/// reports a confidence; an encoding named in `with encoding=` is used as given.
/// Undecodable bytes fail the load with their line and byte offset unless
/// `errors=replace`, which substitutes U+FFFD and counts them.
public enum TextDecoding {
    public struct Decoded {
        /// The converted text, or nil when the file's own bytes are valid UTF-8.
        public var converted: ByteArena?
        /// Offset of the first content byte in the decoded text (after a BOM).
        public var contentStart: Int
        public var decision: EncodingDecision
    }

    static let aliases: [String: String] = [
        "utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8",
        "cp932": "cp932", "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "windows-31j": "cp932",
        "ms932": "cp932", "ms_kanji": "cp932",
        "euc-jp": "euc-jp", "eucjp": "euc-jp", "euc_jp": "euc-jp",
        "utf-16": "utf-16", "utf16": "utf-16", "utf-16le": "utf-16le", "utf-16be": "utf-16be",
    ]

    /// iconv's name for each encoding kensho reads.
    static let iconvNames: [String: String] = [
        "cp932": "CP932", "euc-jp": "EUC-JP-MS", "utf-16": "UTF-16", "utf-16le": "UTF-16LE", "utf-16be": "UTF-16BE",
    ]

    /// - Parameter validUTF8: the caller already checked the whole input: true when it is
    ///   valid UTF-8, false when not, nil when unchecked.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, path: String, requested: String?,
                              errors: String?, validUTF8: Bool? = nil) throws -> Decoded {
        let replace = errors == "replace"
        let name = requested ?? "auto"
        if name != "auto" {
            guard let canonical = aliases[name] else {
                throw Diagnostic("unknown encoding '\(name)'", in: FileLocation(path: path),
                                 notes: ["encodings: auto, utf-8, cp932 (shift_jis), euc-jp, utf-16"
                                     + (Suggestion.nearest(to: name, in: aliases.keys.sorted()).map { "; did you mean '\($0)'?" } ?? "")])
            }
            return try decode(bytes, as: canonical, how: "given", confidence: 1, path: path, replace: replace,
                              knownValid: canonical == "utf-8" && validUTF8 == true)
        }
        // Byte order marks settle it.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            return try decode(bytes, as: "utf-8", how: "auto", confidence: 1, path: path, replace: replace,
                              knownValid: validUTF8 == true)
        }
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            return try decode(bytes, as: "utf-16", how: "auto", confidence: 1, path: path, replace: replace)
        }
        if let nul = firstNUL(in: bytes) {
            let (line, column) = UTF8Validation.lineAndColumn(of: nul, in: bytes)
            throw Diagnostic("this looks like binary data, not text: a NUL byte",
                             in: FileLocation(path: path, line: line, column: column, byteOffset: nul),
                             notes: ["nothing was loaded; if it is UTF-16 without a byte order mark, load it with encoding=utf-16le"])
        }
        if validUTF8 == true, firstNUL(in: bytes) == nil {
            return try decode(bytes, as: "utf-8", how: "auto", confidence: 1, path: path, replace: replace, knownValid: true)
        }
        let detection = EncodingDetector.detect(bytes)
        if detection.confidence < minimumConfidence {
            throw Diagnostic("cannot tell which encoding this file uses (best guess \(detection.encoding), confidence "
                             + String(format: "%.2f", detection.confidence) + ")",
                             in: FileLocation(path: path),
                             notes: ["nothing was loaded; name the encoding: with encoding=cp932 (or euc-jp, utf-8)"])
        }
        return try decode(bytes, as: detection.encoding, how: "auto", confidence: detection.confidence,
                          path: path, replace: replace, knownValid: detection.isValidUTF8)
    }

    /// Below this, `auto` refuses to guess and asks for the encoding: a wrong guess would
    /// load mojibake that looks like data.
    static let minimumConfidence = 0.75

    /// The first NUL in the first 64 KiB, if any.
    static func firstNUL(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let limit = min(bytes.count, 1 << 16)
        for i in 0..<limit where bytes[i] == 0 { return i }
        return nil
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, as encoding: String, how: String, confidence: Double,
                       path: String, replace: Bool, knownValid: Bool = false) throws -> Decoded {
        var decision = EncodingDecision(name: encoding, how: how, confidence: confidence)
        if encoding == "utf-8" {
            let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
            if !knownValid, let bad = UTF8Validation.firstInvalidOffset(in: bytes) {
                if replace {
                    let (arena, replaced) = repairUTF8(bytes)
                    decision.replacedBytes = replaced
                    return Decoded(converted: arena, contentStart: bom, decision: decision)
                }
                throw undecodable(bytes, at: bad, encoding: "utf-8", path: path,
                                  truncated: UTF8Validation.isCutSequence(bytes, at: bad))
            }
            return Decoded(converted: nil, contentStart: bom, decision: decision)
        }
        // A conversion writes a new copy: up to three bytes of UTF-8 per byte read.
        try MemoryBudget.check(bytes.count * 3, for: "its text decoded from \(encoding)", path: path)
        if encoding == "cp932" {
            do {
                let (arena, replaced) = try CP932Decoder.decode(bytes, replace: replace)
                decision.replacedBytes = replaced
                return Decoded(converted: arena, contentStart: 0, decision: decision)
            } catch {
                throw undecodable(bytes, at: error.offset, encoding: encoding, path: path, truncated: error.truncated)
            }
        }
        let (arena, replaced) = try convert(bytes, from: iconvNames[encoding]!, encodingName: encoding,
                                            path: path, replace: replace)
        decision.replacedBytes = replaced
        // iconv's UTF-16 drops the BOM; a UTF-8 BOM cannot come out of the others.
        let start = arena.count >= 3 && arena.base[0] == 0xEF && arena.base[1] == 0xBB && arena.base[2] == 0xBF ? 3 : 0
        return Decoded(converted: arena, contentStart: start, decision: decision)
    }

    /// Converts to UTF-8 with iconv into a new arena.
    static func convert(_ bytes: UnsafeBufferPointer<UInt8>, from source: String, encodingName: String,
                        path: String, replace: Bool) throws -> (ByteArena, Int) {
        let descriptor = iconv_open("UTF-8", source)
        guard descriptor != iconv_t(bitPattern: -1) else {
            throw Diagnostic("this system's iconv cannot convert from \(source)", in: FileLocation(path: path))
        }
        defer { iconv_close(descriptor) }
        var builder = ByteArenaBuilder(capacity: bytes.count * 3 / 2 + 16)
        var replaced = 0
        // Up to 64 KiB at a time, and no more than a small input can fill (no source byte
        // takes more than 3 bytes of UTF-8): a zeroed 64 KiB for a short field or an error
        // message's column count cost more than converting it.
        var outputChunk = [UInt8](repeating: 0, count: min(1 << 16, bytes.count * 3 + 16))
        var inputOffset = 0
        let total = bytes.count
        while inputOffset < total {
            var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: bytes.baseAddress! + inputOffset)
                .assumingMemoryBound(to: CChar.self)
            var inLeft = total - inputOffset
            let status = outputChunk.withUnsafeMutableBufferPointer { out -> (Int, Int32, Int) in
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = out.count
                let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                let code = result == -1 ? errno : 0
                builder.appendBytes(UnsafeBufferPointer(start: out.baseAddress!, count: out.count - outLeft))
                return (result, code, out.count - outLeft)
            }
            inputOffset = total - inLeft
            if status.0 != -1 { break }
            switch status.1 {
            case E2BIG:
                continue
            case EILSEQ, EINVAL:
                // EINVAL: a multibyte sequence cut off at the end of the file.
                guard replace else {
                    throw undecodable(bytes, at: inputOffset, encoding: encodingName, path: path,
                                      truncated: status.1 == EINVAL)
                }
                builder.appendBytes(replacementCharacter)
                replaced += 1
                inputOffset += 1
            default:
                throw Diagnostic("cannot decode '\(path)' as \(encodingName): \(String(cString: strerror(status.1)))",
                                 in: FileLocation(path: path))
            }
        }
        return (builder.finish(), replaced)
    }

    private static let replacementBytes: [UInt8] = [0xEF, 0xBF, 0xBD]
    private static var replacementCharacter: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: replacementPointer, count: 3)
    }
    nonisolated(unsafe) private static let replacementPointer: UnsafeMutablePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 3)
        pointer.initialize(from: replacementBytes, count: 3)
        return pointer
    }()

    /// Copies UTF-8, replacing each invalid byte with U+FFFD.
    static func repairUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> (ByteArena, Int) {
        var builder = ByteArenaBuilder(capacity: bytes.count + 16)
        var replaced = 0
        var offset = 0
        while offset < bytes.count {
            let rest = UnsafeBufferPointer(rebasing: bytes[offset...])
            guard let bad = UTF8Validation.firstInvalidOffset(in: rest) else {
                builder.appendBytes(rest)
                break
            }
            builder.appendBytes(UnsafeBufferPointer(rebasing: rest[..<bad]))
            builder.appendBytes(replacementCharacter)
            replaced += 1
            offset += bad + 1
        }
        return (builder.finish(), replaced)
    }

    /// The line and column (in characters, as an editor shows them) of `offset` in text
    /// of `encoding`. Line feeds are found as bytes, which is exact for UTF-8, CP932 and
    /// EUC-JP (none has 0x0A inside a character); for CP932 and EUC-JP the column counts
    /// the characters the line's bytes before `offset` decode to, not UTF-8 lead bytes.
    static func location(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>, encoding: String) -> (line: Int, column: Int) {
        let utf8 = UTF8Validation.lineAndColumn(of: offset, in: bytes)
        guard encoding == "cp932" || encoding == "euc-jp" else { return utf8 }
        let lineStart = bytes[..<offset].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let before = UnsafeBufferPointer(rebasing: bytes[lineStart..<offset])
        let decoded = encoding == "cp932"
            ? try? CP932Decoder.decode(before, replace: true).0
            : try? convert(before, from: iconvNames[encoding]!, encodingName: encoding, path: "", replace: true).0
        guard let decoded else { return utf8 }
        let characters = UnsafeBufferPointer(start: decoded.base, count: decoded.count).reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }
        return (utf8.line, characters + 1)
    }

    static func undecodable(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, encoding: String, path: String,
                            truncated: Bool = false) -> Diagnostic {
        let (line, column) = location(of: offset, in: bytes, encoding: encoding)
        let shown = UTF8Validation.hex(bytes, at: offset)
        let what = truncated ? "a multibyte sequence cut off by the end of the file" : "bytes that are not valid \(encoding)"
        var notes = ["nothing was loaded"]
        if encoding == "utf-8", !truncated {
            notes.append("if the file is Shift_JIS or EUC-JP, load it with encoding=cp932 or encoding=euc-jp")
        }
        notes.append("to load it anyway, replacing such bytes with U+FFFD and counting them: with errors=replace")
        return Diagnostic("\(what) (\(shown))", in: FileLocation(path: path, line: line, column: column, byteOffset: offset),
                          notes: notes)
    }
}

import Foundation
