/// Questionnaire scores of one session, keyed by the vocabulary's measure index.
///
/// A session carries a handful of scores, so up to six live inline in the record: no heap
/// allocation and no reference counting per record. More spill into an overflow array.
///
/// An inline score is held in hundredths, as a 16-bit integer: every questionnaire score is a
/// whole number or has one or two decimals (an SRS of 38.5), and every total the default pack
/// declares lies within ±327.67 (the largest, OQ-45, goes to 180), so a record's scores take 12
/// bytes instead of 48. Nothing is rounded: a value that hundredths do not give back bit for bit
/// in 16 bits (1/3, -0.0, 1e12, 400) keeps its slot, marked, and its exact value goes to the
/// overflow array.
///
/// ```swift
/// var measures = MeasureValues()
/// measures[0] = 31      // srs, when srs is the vocabulary's first measure
/// measures[0]           // 31
/// ```
public struct MeasureValues: Sendable, Hashable {
    static let inlineCapacity = 6
    /// Measure index + 1 per inline slot, one byte each (0 = empty); slots are kept sorted.
    private var slotIndices: UInt64 = 0
    /// Sorted by index: the exact values of slots marked `exactElsewhere`, then the entries
    /// beyond the inline slots (whose indices all come after the inline ones). Rare.
    private var overflow: [Entry]?
    /// Each inline slot's value in hundredths, or `exactElsewhere`. Declared last, so that the
    /// value ends on these 12 bytes (28 in all) and a record can put its own 4-byte fields after
    /// them, in what would otherwise be padding.
    private var slotValues: (Int16, Int16, Int16, Int16, Int16, Int16) = (0, 0, 0, 0, 0, 0)

    /// A slot whose value hundredths cannot hold exactly.
    private static let exactElsewhere = Int16.min

    private struct Entry: Sendable, Hashable {
        var index: Int
        var value: Double
    }

    public init() {}

    /// `value` in hundredths, when they give it back bit for bit.
    static func hundredths(_ value: Double) -> Int16? {
        let scaled = (value * 100).rounded()
        // Also false for NaN; `exactElsewhere` (Int16.min) is never a value.
        guard scaled > -32_768, scaled <= 32_767 else { return nil }
        let packed = Int16(scaled)
        return (Double(packed) / 100).bitPattern == value.bitPattern ? packed : nil
    }

    private func slotIndex(_ slot: Int) -> Int {
        Int((slotIndices >> (8 * UInt64(slot))) & 0xFF) - 1
    }

    private func slotValue(_ slot: Int) -> Double {
        let packed = withUnsafeBytes(of: slotValues) { $0.load(fromByteOffset: slot * 2, as: Int16.self) }
        guard packed != Self.exactElsewhere else {
            // `init(sorted:)` puts the exact value of every slot it marks in the overflow.
            let index = slotIndex(slot)
            guard let exact = overflow?.first(where: { $0.index == index }) else {
                preconditionFailure("measure slot \(slot) is marked but its exact value is missing")
            }
            return exact.value
        }
        return Double(packed) / 100
    }

    /// Sets a slot whose value hundredths hold exactly (the caller checked).
    private mutating func setSlot(_ slot: Int, index: Int, packed: Int16) {
        let shift = 8 * UInt64(slot)
        slotIndices = (slotIndices & ~(0xFF << shift)) | (UInt64(index + 1) << shift)
        withUnsafeMutableBytes(of: &slotValues) { $0.storeBytes(of: packed, toByteOffset: slot * 2, as: Int16.self) }
    }

    /// The inline slot holding `index`, found in all six at once: the slots' bytes that equal
    /// `index + 1` are the zero bytes of `slotIndices ^ (index + 1) × 0x01…01`, and the lowest
    /// zero byte is exact (`hasZero`'s borrows only reach the bytes above it). Looked up slot by
    /// slot, a score cost about 36 instructions; rules and reports read scores millions of times.
    private func inlineSlot(of index: Int) -> Int? {
        // Indices from 255 on live in the overflow only; the two bytes above the six slots are
        // always zero, and never equal `index + 1`, which is at least 1.
        guard index >= 0, index < 255 else { return nil }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let word = slotIndices ^ (UInt64(index + 1) &* ones)
        let zeros = (word &- ones) & ~word & 0x8080_8080_8080_8080
        guard zeros != 0 else { return nil }
        return zeros.trailingZeroBitCount / 8
    }

    private var inlineCount: Int {
        var count = 0
        while count < Self.inlineCapacity, slotIndex(count) >= 0 { count += 1 }
        return count
    }

    public subscript(index: Int) -> Double? {
        get {
            if let slot = inlineSlot(of: index) { return slotValue(slot) }
            return overflow?.first { $0.index == index }?.value
        }
        set {
            // Fast paths: replace in place, or append after the last slot (decoders mostly meet
            // measures in vocabulary order).
            if let newValue, overflow == nil, let packed = Self.hundredths(newValue) {
                let used = inlineCount
                for slot in 0..<used where slotIndex(slot) == index {
                    setSlot(slot, index: index, packed: packed)
                    return
                }
                if used < Self.inlineCapacity, used == 0 || slotIndex(used - 1) < index, index < 255 {
                    setSlot(used, index: index, packed: packed)
                    return
                }
            }
            var all = entries.filter { $0.index != index }
            if let newValue {
                all.append(Entry(index: index, value: newValue))
                all.sort { $0.index < $1.index }
            }
            self = MeasureValues(sorted: all)
        }
    }

    private init(sorted entries: [Entry]) {
        // A slot stores its index + 1 in a byte: indices from 255 on (a pack of hundreds of
        // measures) live in the overflow list, which keeps any index. Sorted order is kept either way.
        let inline = entries.prefix { $0.index < 255 }.prefix(Self.inlineCapacity)
        var spilled: [Entry] = []
        for (slot, entry) in inline.enumerated() {
            if let packed = Self.hundredths(entry.value) {
                setSlot(slot, index: entry.index, packed: packed)
            } else {
                setSlot(slot, index: entry.index, packed: Self.exactElsewhere)
                spilled.append(entry)
            }
        }
        spilled += entries.dropFirst(inline.count)
        overflow = spilled.isEmpty ? nil : spilled
    }

    private var entries: [Entry] {
        var result: [Entry] = []
        let count = inlineCount
        for slot in 0..<count { result.append(Entry(index: slotIndex(slot), value: slotValue(slot))) }
        // Exact values of marked slots have inline indices; the rest come after every inline one.
        let lastInline = count > 0 ? slotIndex(count - 1) : -1
        return result + (overflow ?? []).filter { $0.index > lastInline }
    }

    public var isEmpty: Bool { slotIndex(0) < 0 && overflow == nil }
    public var count: Int {
        let count = inlineCount
        let lastInline = count > 0 ? slotIndex(count - 1) : -1
        return count + (overflow?.count { $0.index > lastInline } ?? 0)
    }
    /// Measure indices present, in order.
    public var indices: [Int] { entries.map(\.index) }

    /// Calls `body` with each measure index present, in order, without building an array
    /// (timelines look at every record's measures once when they are made).
    public func forEachIndex(_ body: (Int) -> Void) {
        var lastInline = -1
        for slot in 0..<Self.inlineCapacity {
            let index = slotIndex(slot)
            if index < 0 { break }  // Overflow entries may still follow (indices from 255 on).
            body(index)
            lastInline = index
        }
        for entry in overflow ?? [] where entry.index > lastInline { body(entry.index) }
    }
    /// Calls `body` with each measure index present and its score, in index order, building no
    /// array (a report writes every record's scores).
    public func forEachScore(_ body: (Int, Double) -> Void) {
        var lastInline = -1
        for slot in 0..<Self.inlineCapacity {
            let index = slotIndex(slot)
            if index < 0 { break }  // Overflow entries may still follow (indices from 255 on).
            body(index, slotValue(slot))
            lastInline = index
        }
        for entry in overflow ?? [] where entry.index > lastInline { body(entry.index, entry.value) }
    }

    /// Their values, in the same order as `indices`.
    public var values: [Double] { entries.map(\.value) }

    public static func == (a: MeasureValues, b: MeasureValues) -> Bool {
        a.entries == b.entries
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries)
    }
}
