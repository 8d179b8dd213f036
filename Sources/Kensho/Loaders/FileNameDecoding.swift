/// Turns the raw bytes of a relative path into text a person can read.
///
/// File names are bytes, not text: a tree copied from an old Windows server keeps its
/// Shift_JIS names, next to UTF-8 ones written later. Each `/`-separated component is
/// read on its own, because one path can mix the two: as UTF-8 when it is valid
/// UTF-8, else as CP932 when iconv accepts all of it, else as UTF-8 with every byte
/// that is not part of a valid sequence written as `%XX`.
///
/// The result is for display only. Two different names can show alike (a UTF-8 and a
/// CP932 `テスト`, or a literal `%83` and an escaped byte), so identity — sorting,
/// hashing, diffing — always uses the original bytes (the manifest's `_path_hex`).
enum FileNameDecoding {
    /// How a component was read; the manifest's load summary counts them.
    enum Reading: Int, Comparable {
        case utf8, cp932, escaped

        static func < (a: Reading, b: Reading) -> Bool { a.rawValue < b.rawValue }
    }

    /// The display text of a path, and the least faithful reading any component needed.
    static func display(_ path: UnsafeBufferPointer<UInt8>) -> (text: String, reading: Reading) {
        if UTF8Validation.firstInvalidOffset(in: path) == nil {
            return (String(decoding: path, as: UTF8.self), .utf8)
        }
        var text = ""
        var worst = Reading.utf8
        for (index, component) in path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).enumerated() {
            if index > 0 { text += "/" }
            let (part, reading) = displayComponent(UnsafeBufferPointer(rebasing: component))
            text += part
            worst = max(worst, reading)
        }
        return (text, worst)
    }

    static func display(_ path: [UInt8]) -> (text: String, reading: Reading) {
        path.withUnsafeBufferPointer { display($0) }
    }

    private static func displayComponent(_ name: UnsafeBufferPointer<UInt8>) -> (String, Reading) {
        if UTF8Validation.firstInvalidOffset(in: name) == nil {
            return (String(decoding: name, as: UTF8.self), .utf8)
        }
        if let (arena, _) = try? TextDecoding.convert(name, from: "CP932", encodingName: "cp932", path: "",
                                                      replace: false) {
            return (String(decoding: UnsafeBufferPointer(start: arena.base, count: arena.count), as: UTF8.self), .cp932)
        }
        return (escaped(name), .escaped)
    }

    /// Valid UTF-8 runs as they are; each other byte as `%XX` (upper-case hex).
    static func escaped(_ name: UnsafeBufferPointer<UInt8>) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(name.count * 3)
        var offset = 0
        while offset < name.count {
            let rest = UnsafeBufferPointer(rebasing: name[offset...])
            guard let bad = UTF8Validation.firstInvalidOffset(in: rest) else {
                out.append(contentsOf: rest)
                break
            }
            out.append(contentsOf: rest[..<bad])
            let byte = rest[bad]
            out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            offset += bad + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lower-case hex of the bytes: the `_path_hex` form, which sorts as the bytes do.
    static func hex(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
