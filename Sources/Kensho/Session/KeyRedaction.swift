/// A secret typed into kensho by mistake — a case key (`set key = s3cret` instead of
/// `set key = env:NAME`) or a password inside a warehouse URL
/// (`postgresql://user:s3cret@host/db`, `?password=s3cret`) — is refused, and must not
/// then sit in the journal, the history or the error message. `masked(_:)` overwrites
/// such a value with `*`, one per byte, so every offset into the text (and so every
/// caret) stays where it was.
public enum KeyRedaction {
    /// `text` with the value of every `set key = VALUE` that is not `env:NAME` masked,
    /// and every password in a `postgres://` or `postgresql://` URL.
    public static func masked(_ text: String) -> String {
        var bytes = Array(text.utf8)
        var changed = maskURLPasswords(&bytes)
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

    /// Masks the password of every PostgreSQL URL in `bytes`: the part after `:` in the
    /// user information (`scheme://user:PASSWORD@`) and any `password=` parameter.
    private static func maskURLPasswords(_ bytes: inout [UInt8]) -> Bool {
        var changed = false
        var index = 0
        while index < bytes.count {
            guard lower(bytes[index]) == UInt8(ascii: "p"), index == 0 || !isWordByte(bytes[index - 1]) else { index += 1; continue }
            var cursor = index
            guard word("postgresql", bytes, &cursor) || word("postgres", bytes, &cursor),
                  cursor + 3 <= bytes.count, bytes[cursor..<cursor + 3].elementsEqual("://".utf8) else { index += 1; continue }
            let start = cursor + 3
            var end = start
            while end < bytes.count, !isURLEnd(bytes[end]) { end += 1 }
            // User information ends at the last '@' before the host.
            if let at = bytes[start..<end].lastIndex(of: UInt8(ascii: "@")),
               let colon = bytes[start..<at].firstIndex(of: UInt8(ascii: ":")), colon + 1 < at {
                for position in (colon + 1)..<at { bytes[position] = UInt8(ascii: "*") }
                changed = true
            }
            var search = start
            let parameter = Array("password=".utf8)
            while search + parameter.count <= end {
                let boundary = search == start || bytes[search - 1] == UInt8(ascii: "?") || bytes[search - 1] == UInt8(ascii: "&")
                if boundary, zip(bytes[search..<search + parameter.count], parameter).allSatisfy({ lower($0) == $1 }) {
                    var position = search + parameter.count
                    while position < end, bytes[position] != UInt8(ascii: "&") {
                        bytes[position] = UInt8(ascii: "*")
                        position += 1
                        changed = true
                    }
                    search = position
                } else {
                    search += 1
                }
            }
            index = end
        }
        return changed
    }

    /// A URL typed in a statement ends at its closing quote, a space or the line's end.
    private static func isURLEnd(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
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
