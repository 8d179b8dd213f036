import Foundation
import Testing
@testable import Kensho

#if canImport(Glibc)
import Glibc
#endif

/// Directory trees a compromised server left behind: links in loops and out of the
/// tree, unreadable entries, names in no encoding, pipes and devices where files should
/// be. (`TreeTests` covers the ordinary cases: a loop through `..`, a link to `/`, a
/// fifo in a tree, Shift_JIS names, chmod 000 for a user who is not root.)
///
/// Below a tree's root nothing is followed: a link is listed in `rejects` with its
/// target and never read, so no link can pull a file from outside the tree into the
/// manifest. A path the user names (a file, a glob match, the root itself) is followed
/// as any program follows it, and the load says where it led.
@Suite("Hostile input: directory trees", .timeLimit(.minutes(1)))
struct HostileTreeTests {
    @Test func linksInLoopsDanglingAndOutOfTheTreeAreListedNotFollowed() throws {
        let harness = try SessionHarness()
        try harness.tree("t", [("a.txt", "a"), ("d/b.txt", "b")])
        try harness.tree("outside", [("secret.csv", "not evidence")])
        try harness.symlink("t/ping", to: "pong")
        try harness.symlink("t/pong", to: "ping")
        try harness.symlink("t/dangling", to: "nowhere")
        try harness.symlink("t/d/secret.csv", to: harness.path("outside/secret.csv"))
        try harness.symlink("t/d/outside", to: "../../outside")
        #expect(harness.run("load $DIR/t"), "\(harness.errors)")
        #expect(harness.errors.contains("2 files in 2 directories; names utf-8; 5 symbolic links not followed\n"), "\(harness.errors)")
        expectCSV(harness, "t | select path", "path\na.txt\nd/b.txt\n")
        expectCSV(harness, "rejects t | select path, reason", """
        path,reason
        d/outside,"symbolic link to '../../outside', not followed"
        d/secret.csv,"symbolic link to '$DIR/outside/secret.csv', not followed"
        dangling,"symbolic link to 'nowhere', not followed"
        ping,"symbolic link to 'pong', not followed"
        pong,"symbolic link to 'ping', not followed"

        """.replacingOccurrences(of: "$DIR", with: harness.directory.path))
    }

    @Test func aPathTheUserNamesIsFollowedAndTheLoadSaysWhere() throws {
        let harness = try SessionHarness()
        try harness.tree("outside", [("secret.csv", "a,b\n1,2\n")])
        try harness.tree("evidence", [("real.csv", "a,b\n3,4\n")])
        try harness.symlink("evidence/planted.csv", to: harness.path("outside/secret.csv"))
        #expect(harness.run("load \"$DIR/evidence/*.csv\""), "\(harness.errors)")
        #expect(harness.errors.contains("  note: '$DIR/evidence/planted.csv' is a symbolic link to '$DIR/outside/secret.csv', which was read\n"),
                "\(harness.errors)")
        try harness.symlink("root", to: "evidence")
        #expect(harness.run("load $DIR/root"), "\(harness.errors)")
        #expect(harness.errors.contains("  note: '$DIR/root' is a symbolic link to 'evidence', which was read\n"))
        expectCSV(harness, "root | select path", "path\nreal.csv\n")
    }

    @Test func aLinkLoopOrAPipeNamedDirectlyFailsAtOnce() throws {
        let harness = try SessionHarness.journaled()
        try harness.symlink("loop.csv", to: "loop.csv")
        try harness.expectRefused("load $DIR/loop.csv", "$DIR/loop.csv: error: cannot open '$DIR/loop.csv': too many levels of symbolic links\n")
        try harness.fifo("pipe.csv")
        try harness.expectRefused("load $DIR/pipe.csv", """
        $DIR/pipe.csv: error: '$DIR/pipe.csv' is a fifo (named pipe), not a regular file
        note: nothing was read: kensho loads files whose size is known, and never waits on a pipe

        """)
        try harness.expectRefused("load /dev/zero with format=csv", "/dev/zero: error: '/dev/zero' is a character device, not a regular file\n")
        // A glob matching a pipe fails whole: the regular file beside it is not loaded either.
        try harness.file("real.csv", "a\n1\n")
        try harness.expectRefused("load \"$DIR/*.csv\"", "$DIR/loop.csv: error: cannot open '$DIR/loop.csv': too many levels of symbolic links\n")
    }

    /// As root, chmod 000 does not stop reading: the entries are listed and hashed like
    /// any other, and nothing is reported. Said here rather than skipped silently;
    /// `TreeTests` checks what other users get (listed without a hash, and a warning).
    @Test(.enabled(if: geteuid() == 0, "not root: TreeTests checks unreadable entries"))
    func asRootChmod000HidesNothing() throws {
        let harness = try SessionHarness()
        try harness.tree("root", [("closed/data.csv", "x")])
        chmod(harness.path("root/closed/data.csv"), 0)
        chmod(harness.path("root/closed"), 0)
        defer { chmod(harness.path("root/closed"), 0o700) }
        #expect(harness.run("load $DIR/root"), "\(harness.errors)")
        expectCSV(harness, "root | select path, sha256",
                  "path,sha256\nclosed/data.csv,2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\n")
        expectCSV(harness, "rejects root | count", "n\n0\n")
    }

    /// Names that are neither UTF-8 nor CP932 are shown with `%XX` and kept as bytes.
    @Test func namesInNoEncodingAreShownEscapedAndKeptAsBytes() throws {
        let harness = try SessionHarness()
        try harness.tree("t", [])
        try harness.file(in: "t", rawName: [0xFF, 0xFE, 0x2E, 0x63, 0x73, 0x76], "x")
        try harness.file(in: "t", rawName: [0x93, 0x8C, 0x8B, 0x9E, 0x2E, 0x63, 0x73, 0x76], "y")
        #expect(harness.run("load $DIR/t"), "\(harness.errors)")
        #expect(harness.errors.contains("names utf-8, 1 path decoded from cp932, 1 path with undecodable bytes shown as %XX"), "\(harness.errors)")
        expectCSV(harness, "t | select path, _path_hex", "path,_path_hex\n東京.csv,938c8b9e2e637376\n%FF%FE.csv,fffe2e637376\n")
    }
}
