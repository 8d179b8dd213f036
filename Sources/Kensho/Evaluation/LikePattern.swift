/// SQL `LIKE` over UTF-8 bytes: `%` matches any run, `_` one character, `\` escapes.
/// Case-sensitive, like PostgreSQL's LIKE (use `lower()` on both sides to fold case).
struct LikePattern {
    private enum Piece: Equatable { case literal([UInt8]), anyOne, anyRun }
    private let pieces: [Piece]

    init(_ pattern: String) {
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        var escaping = false
        for scalar in pattern.unicodeScalars {
            if escaping {
                literal.append(contentsOf: String(scalar).utf8)
                escaping = false
                continue
            }
            switch scalar {
            case "\\": escaping = true
            case "%", "_":
                if !literal.isEmpty { pieces.append(.literal(literal)); literal = [] }
                let piece: Piece = scalar == "%" ? .anyRun : .anyOne
                if piece == .anyRun, pieces.last == .anyRun { continue }
                pieces.append(piece)
            default:
                literal.append(contentsOf: String(scalar).utf8)
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
    }

    func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        match(pieceIndex: 0, text: text, offset: 0)
    }

    private func match(pieceIndex: Int, text: UnsafeBufferPointer<UInt8>, offset: Int) -> Bool {
        var p = pieceIndex
        var i = offset
        while p < pieces.count {
            switch pieces[p] {
            case .literal(let bytes):
                guard i + bytes.count <= text.count else { return false }
                for k in 0..<bytes.count where text[i + k] != bytes[k] { return false }
                i += bytes.count
            case .anyOne:
                guard i < text.count else { return false }
                i += 1
                while i < text.count, text[i] & 0xC0 == 0x80 { i += 1 }
            case .anyRun:
                if p == pieces.count - 1 { return true }
                var start = i
                while start <= text.count {
                    if match(pieceIndex: p + 1, text: text, offset: start) { return true }
                    start += 1
                    while start < text.count, text[start] & 0xC0 == 0x80 { start += 1 }
                }
                return false
            }
            p += 1
        }
        return i == text.count
    }
}
