// Keyer throughput on realistic generated values, one core. Built by run.sh together
// with the KenshoKeyers sources as one optimized module; prints values/s per keyer.
import Foundation

/// A fixed-seed generator (SplitMix64): the same values on every run.
struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let arguments = CommandLine.arguments
let rows = arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000
var random = Generator(state: 2010)

let families = ["山田", "佐々木", "鈴木", "髙橋", "田中", "渡辺", "伊藤", "中村", "小林", "加藤", "吉田", "斎藤"]
let givens = ["太郎", "花子", "一郎", "美咲", "翔太", "陽菜", "健", "さくら", "ゆうき", "蓮"]
let readings = [("ヤマダ", "ﾔﾏﾀﾞ"), ("ササキ", "ｻｻｷ"), ("スズキ", "ｽｽﾞｷ"), ("タカハシ", "ﾀｶﾊｼ"), ("タナカ", "ﾀﾅｶ")]
let givenReadings = [("タロウ", "ﾀﾛｳ"), ("ハナコ", "ﾊﾅｺ"), ("イチロウ", "ｲﾁﾛｳ"), ("ミサキ", "ﾐｻｷ"), ("ショウタ", "ｼｮｳﾀ")]
let separators = ["\u{3000}", " ", "", "・"]

func pick<T>(_ items: [T]) -> T { items.randomElement(using: &random)! }
func number(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
func padded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
func fullwidth(_ ascii: String) -> String {
    String(
        String.UnicodeScalarView(
            ascii.unicodeScalars.map { $0.value >= 0x21 && $0.value <= 0x7E ? Unicode.Scalar($0.value + 0xFEE0)! : $0 })
    )
}

var names: [String] = []
var kanas: [String] = []
var dates: [String] = []
var phones: [String] = []
var emails: [String] = []
var postals: [String] = []
for _ in 0..<rows {
    names.append(pick(families) + pick(separators) + pick(givens))
    let (family, familyHalf) = pick(readings)
    let (given, givenHalf) = pick(givenReadings)
    kanas.append(number(0...2) == 0 ? familyHalf + " " + givenHalf : family + "\u{3000}" + given)
    let year = number(1930...2015)
    let month = number(1...12)
    let day = number(1...28)
    switch number(0...5) {
    case 0: dates.append("\(year)/\(month)/\(day)")
    case 1: dates.append("\(year)\(padded(month, 2))\(padded(day, 2))")
    case 2 where year >= 1926 && year <= 1988: dates.append("昭和\(year - 1925)年\(month)月\(day)日")
    case 3 where year >= 1990: dates.append("H\(year - 1988).\(month).\(day)")
    default: dates.append("\(year)-\(padded(month, 2))-\(padded(day, 2))")
    }
    let mobile = "0\(pick([70, 80, 90]))-\(padded(number(0...9999), 4))-\(padded(number(0...9999), 4))"
    switch number(0...4) {
    case 0: phones.append(fullwidth(mobile))
    case 1: phones.append("+81 " + mobile.dropFirst())
    case 2: phones.append("0564-\(padded(number(0...99), 2))-\(padded(number(0...9999), 4))")
    default: phones.append(mobile)
    }
    emails.append(" User\(number(1...99999))@Example.JP")
    postals.append("〒\(number(100...999))-\(padded(number(0...9999), 4))")
}

/// CPU time of this thread: the machine is shared, and wall time would count the time
/// other processes held the core.
func threadCPUNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// A column as the engine holds it: every value's bytes in one buffer, and the end
/// offset of each value.
struct Column {
    var bytes: [UInt8] = []
    var ends: [Int] = []

    init(_ values: [String]) {
        for value in values {
            bytes.append(contentsOf: value.utf8)
            ends.append(bytes.count)
        }
    }
}

/// Keys every value of `column` once with `keyer`, reusing one output buffer as the
/// engine does; the best of three rounds. Returns seconds of CPU time per value.
func measure(_ label: String, _ keyer: any Keyer, _ values: [String]) -> Double {
    let column = Column(values)
    var output: [UInt8] = []
    output.reserveCapacity(64)
    var checksum = 0
    var ok = 0
    var best = Double.infinity
    column.bytes.withUnsafeBufferPointer { bytes in
        for _ in 0..<3 {
            ok = 0
            var start = 0
            let startTime = threadCPUNanoseconds()
            for end in column.ends {
                output.removeAll(keepingCapacity: true)
                let value = UnsafeBufferPointer(rebasing: bytes[start..<end])
                if keyer.key(value, into: &output) == .ok { ok += 1 }
                checksum &+= output.count
                start = end
            }
            best = min(best, Double(threadCPUNanoseconds() - startTime) / 1e9 / Double(column.ends.count))
        }
    }
    var first = values[0]
    output.removeAll()
    _ = first.withUTF8 { keyer.key($0, into: &output) }
    print(
        "\(label.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(format: "%6.2f", 1e-6 / best)) M/s"
            + "  \(String(format: "%5.0f", best * 1e9)) ns/value  ok \(ok)/\(values.count)"
            + "  e.g. \(values[0]) → \(String(decoding: output, as: UTF8.self))  (checksum \(checksum))")
    return best
}

print("\(rows) values per keyer, one core (CPU time of this thread, best of 3 rounds)")
let nameSeconds = measure("name", NameKeyer(), names)
_ = measure("text", TextKeyer(), names)
_ = measure("kana", KanaKeyer(), kanas)
let dateSeconds = measure("date", DateKeyer(), dates)
let phoneSeconds = measure("phone", PhoneKeyer(), phones)
_ = measure("digits", DigitsKeyer(), phones)
_ = measure("email", EmailKeyer(), emails)
_ = measure("postal", PostalKeyer(), postals)
_ = measure("raw", RawKeyer(), names)
let perRow = (nameSeconds + dateSeconds + phoneSeconds) * 1e9
print("name + date + phone: \(String(format: "%.0f", perRow)) ns per row")

// The slow path alone, on values that need it (compatibility characters), for scale.
let slowValues = (0..<min(rows, 200_000)).map { index in names[index] + "①㈱" }
_ = measure("text-slow", TextKeyer(), slowValues)
