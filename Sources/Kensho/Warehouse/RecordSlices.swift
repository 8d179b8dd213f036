import Crypto
import Foundation

/// A delimited file read in slices of whole records, so one larger than memory can be
/// pushed (`push "FILE" using FP to WH`) with memory bounded by the slice size.
///
/// A slice ends after the last record boundary in what was read: a newline outside a
/// quoted field, tracked with RFC 4180's rules (a quote opens a quoted field only at
/// the start of a field, `""` inside it is a quote, a lone quote closes it). Since every
/// slice starts at a boundary, each is scanned on its own. The rules hold for CP932
/// and EUC-JP bytes too: neither uses a byte below 0x40 inside a character, so a
/// newline, a quote or a delimiter is always itself. Every byte read is hashed, so the
/// file's SHA-256 is known when the last slice has been handed out.
final class RecordSlices {
    let path: String
    let delimiter: UInt8
    private let descriptor: Int32
    /// Bytes read but not yet handed out: the start of a record that did not end.
    private var carry: [UInt8] = []
    private var atEnd = false
    private(set) var hasher = SHA256()
    private(set) var bytesRead = 0
    /// Newlines in everything handed out so far (a slice's first line is this plus one).
    private(set) var linesBefore = 0
    let sliceSize: Int

    /// A record longer than this is refused rather than read into memory whole.
    static let maximumRecord = 1 << 30

    init(path: String, delimiter: UInt8, sliceSize: Int = 32 << 20) throws(Diagnostic) {
        self.path = path
        self.delimiter = delimiter
        self.sliceSize = sliceSize
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw FileBytes.openError(path: path, errno: errno) }
    }

    deinit { close(descriptor) }

    /// The next run of whole records (the file's last bytes at the end, whatever they
    /// are), or nil when the file is done.
    func next() throws -> [UInt8]? {
        if atEnd && carry.isEmpty { return nil }
        var boundary: Int?
        while !atEnd {
            try fill(upTo: max(sliceSize, carry.count + sliceSize / 4))
            // Rescan from the start: the quote state is only known from a record boundary.
            boundary = RecordSlices.lastBoundary(in: carry, delimiter: delimiter)
            if boundary != nil, carry.count >= sliceSize { break }
            if carry.count > RecordSlices.maximumRecord {
                throw Diagnostic("'\(path)' has a record longer than \(RecordSlices.maximumRecord >> 20) MiB "
                                 + "(after line \(linesBefore)); it cannot be pushed in slices",
                                 notes: ["an unterminated quote makes the rest of a file one record: check the quotes near that line"])
            }
        }
        let end = atEnd ? carry.count : (boundary.map { $0 + 1 } ?? carry.count)
        let slice = Array(carry[..<end])
        carry.removeFirst(end)
        linesBefore += slice.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        return slice.isEmpty ? nil : slice
    }

    /// Reads until `carry` holds `target` bytes or the file ends.
    private func fill(upTo target: Int) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while carry.count < target {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Diagnostic("cannot read '\(path)': \(String(cString: strerror(errno)))")
            }
            if count == 0 { atEnd = true; return }
            carry.append(contentsOf: buffer[..<count])
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            bytesRead += count
        }
    }

    /// The SHA-256 of a whole file, read once (a push needs it before its first row).
    static func sha256(of path: String) throws(Diagnostic) -> (hex: String, size: Int) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw FileBytes.openError(path: path, errno: errno) }
        defer { close(descriptor) }
        var hasher = SHA256()
        var size = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8 << 20, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw Diagnostic("cannot read '\(path)': \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            size += count
        }
        return (SHA256Digest.hex(hasher.finalize()), size)
    }

    /// The offset of the first newline in `bytes` that ends a record, if any.
    static func firstBoundary(in bytes: [UInt8], delimiter: UInt8) -> Int? {
        boundary(in: bytes, delimiter: delimiter, first: true)
    }

    /// The offset of the last newline in `bytes` that ends a record, if any.
    static func lastBoundary(in bytes: [UInt8], delimiter: UInt8) -> Int? {
        boundary(in: bytes, delimiter: delimiter, first: false)
    }

    private static func boundary(in bytes: [UInt8], delimiter: UInt8, first: Bool) -> Int? {
        let start = 0
        enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
        var state = State.fieldStart
        var last: Int?
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n")
        for index in start..<bytes.count {
            let byte = bytes[index]
            switch state {
            case .quoted:
                if byte == quote { state = .quoteInQuoted }
            case .quoteInQuoted:
                if byte == quote { state = .quoted } else if byte == newline {
                    state = .fieldStart
                    last = index
                    if first { return index }
                }
                else if byte == delimiter { state = .fieldStart } else { state = .unquoted }
            case .fieldStart, .unquoted:
                if byte == newline {
                    state = .fieldStart
                    last = index
                    if first { return index }
                } else if byte == delimiter { state = .fieldStart }
                else if byte == quote, state == .fieldStart { state = .quoted }
                else if state == .fieldStart, byte != UInt8(ascii: "\r") { state = .unquoted }
            }
        }
        return last
    }
}
