import Foundation
import Testing
@testable import Kensho

/// `push "FILE"` hashes the file before the first row is sent and again as it streams:
/// a file edited, grown or cut between the two is refused at the end (the transaction
/// then keeps nothing in the warehouse). The change lands after the first slice was
/// read, past the 1 MiB the stream had read by then, where a writer racing the push
/// would make it. (Bytes the stream had already read are pushed as hashed: a change
/// there is not a difference.) No server is needed: this is the file's side of the push.
@Suite("Streaming push: a file that changes while it is pushed")
struct FilePushChangeTests {
    /// A patron export of `rows` rows (about 45 bytes each).
    static func patrons(_ rows: Int) -> String {
        "name,birthdate,phone\n" + (0..<rows).map { "佐藤 花子\($0),1990-02-03,03-1234-\(String(format: "%04d", $0 % 10_000))\n" }.joined()
    }

    @Test(arguments: ["edited", "appended", "cut"])
    func aFileChangedAfterItWasHashedIsRefused(change: String) throws {
        let harness = try SessionHarness()
        let text = Self.patrons(60_000)
        #expect(text.utf8.count > 2 << 20)
        let path = try harness.file("changing.csv", text)
        #expect(harness.run("fingerprint person = name + birthdate + phone"), "\(harness.errors)")
        let recipe = try #require(harness.session.recipes["person"])
        let push = try FilePush(path: path, datasetName: "changing", options: LoadOptions(), sliceSize: 256 << 10,
                                isCancelled: { false })
        #expect(try push.next(recipe: recipe, key: nil, fingerprintRange: SourceRange(0, 0)) != nil)

        var bytes = Array(text.utf8)
        switch change {
        case "edited": bytes[bytes.count - 10] = UInt8(ascii: "9")
        case "appended": bytes += Array("佐藤 花子X,1990-02-03,03-1234-9999\n".utf8)
        default: bytes.removeLast(40)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        var refusal: Diagnostic?
        do {
            while try push.next(recipe: recipe, key: nil, fingerprintRange: SourceRange(0, 0)) != nil {}
        } catch let error as Diagnostic {
            refusal = error
        }
        let message = try #require(refusal, "a file \(change) during the push was not refused").message
        #expect(message.contains("changed while it was pushed"), "\(message)")
    }

    /// The same file left alone streams to its end.
    @Test func anUnchangedFileStreamsToItsEnd() throws {
        let harness = try SessionHarness()
        let path = try harness.file("steady.csv", Self.patrons(300))
        #expect(harness.run("fingerprint person = name + birthdate + phone"), "\(harness.errors)")
        let recipe = try #require(harness.session.recipes["person"])
        let push = try FilePush(path: path, datasetName: "steady", options: LoadOptions(), sliceSize: 700,
                                isCancelled: { false })
        var rows = 0
        while let batch = try push.next(recipe: recipe, key: nil, fingerprintRange: SourceRange(0, 0)) {
            rows += batch.table.rowCount
        }
        #expect(rows == 300)
    }
}
