/// A case key typed into kensho by mistake (`set key = s3cret` instead of
/// `set key = env:NAME`) is refused — and must not then sit in the journal, the
/// history or the error message. `masked(_:)` overwrites such a value with `*`, one
/// per byte, so every offset into the text (and so every caret) stays where it was.
public enum KeyRedaction {
    /// `text` with the value of every `set key = VALUE` that is not `env:NAME` masked.
    public static func masked(_ text: String) -> String {
        var bytes = Array(text.utf8)
        var changed = false
        var index = 0
        while let start = valueStart(in: bytes, from: &index) {
            let end = valueEnd(in: bytes, from: start)
            if !isEnvironmentReference(bytes[start..<end]) {
                for position in start..<end { bytes[position] = UInt8(ascii: "*") }
                changed = true
            }
            index = end
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// Finds the next `set key =` (ASCII case-insensitive, any spacing) at or after
    /// `index` and returns where its value starts.
    private static func valueStart(in bytes: [UInt8], from index: inout Int) -> Int? {
        while index < bytes.count {
            defer { index += 1 }
            guard lower(bytes[index]) == UInt8(ascii: "s"), index == 0 || !isWordByte(bytes[index - 1]) else { continue }
            var cursor = index
            guard word("set", bytes, &cursor), skipSpaces(bytes, &cursor) > 0,
                  word("key", bytes, &cursor) else { continue }
            _ = skipSpaces(bytes, &cursor)
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "=") else { continue }
            cursor += 1
            _ = skipSpaces(bytes, &cursor)
            return cursor
        }
        return nil
    }

    /// A quoted value runs to its closing quote; a bare one to a space, `;` or line end.
    private static func valueEnd(in bytes: [UInt8], from start: Int) -> Int {
        guard start < bytes.count else { return start }
        let quote = bytes[start]
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            var end = start + 1
            while end < bytes.count, bytes[end] != quote, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            return min(end + 1, bytes.count)
        }
        var end = start
        while end < bytes.count, ![UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
                                    UInt8(ascii: ";")].contains(bytes[end]) { end += 1 }
        return end
    }

    private static func isEnvironmentReference(_ value: ArraySlice<UInt8>) -> Bool {
        let prefix = Array("env:".utf8)
        guard value.count > prefix.count else { return false }
        return zip(value.prefix(prefix.count), prefix).allSatisfy { lower($0) == $1 }
    }

    private static func word(_ word: StaticString, _ bytes: [UInt8], _ cursor: inout Int) -> Bool {
        let count = word.utf8CodeUnitCount
        guard cursor + count <= bytes.count else { return false }
        for offset in 0..<count where lower(bytes[cursor + offset]) != word.utf8Start[offset] { return false }
        guard cursor + count == bytes.count || !isWordByte(bytes[cursor + count]) else { return false }
        cursor += count
        return true
    }

    private static func skipSpaces(_ bytes: [UInt8], _ cursor: inout Int) -> Int {
        let start = cursor
        while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == UInt8(ascii: "\t") { cursor += 1 }
        return cursor - start
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || byte == UInt8(ascii: "_") || (lower(byte) >= UInt8(ascii: "a") && lower(byte) <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
