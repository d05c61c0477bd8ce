/// Questionnaire scores of one session, keyed by the vocabulary's measure index.
///
/// A session carries a handful of scores, so up to six live inline in the record: no heap
/// allocation and no reference counting per record. More spill into an overflow array.
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
    private var slotValues: (Double, Double, Double, Double, Double, Double) = (0, 0, 0, 0, 0, 0)
    /// Entries beyond the inline slots, sorted by index; rare.
    private var overflow: [Entry]?

    private struct Entry: Sendable, Hashable {
        var index: Int
        var value: Double
    }

    public init() {}

    private func slotIndex(_ slot: Int) -> Int {
        Int((slotIndices >> (8 * UInt64(slot))) & 0xFF) - 1
    }

    private func slotValue(_ slot: Int) -> Double {
        withUnsafeBytes(of: slotValues) { $0.load(fromByteOffset: slot * 8, as: Double.self) }
    }

    private mutating func setSlot(_ slot: Int, index: Int, value: Double) {
        let shift = 8 * UInt64(slot)
        slotIndices = (slotIndices & ~(0xFF << shift)) | (UInt64(index + 1) << shift)
        withUnsafeMutableBytes(of: &slotValues) { $0.storeBytes(of: value, toByteOffset: slot * 8, as: Double.self) }
    }

    private var inlineCount: Int {
        var count = 0
        while count < Self.inlineCapacity, slotIndex(count) >= 0 { count += 1 }
        return count
    }

    public subscript(index: Int) -> Double? {
        get {
            for slot in 0..<Self.inlineCapacity {
                let stored = slotIndex(slot)
                if stored < 0 { break }  // Overflow entries may still follow (indices from 255 on).
                if stored == index { return slotValue(slot) }
            }
            return overflow?.first { $0.index == index }?.value
        }
        set {
            // Fast paths: replace in place, or append after the last slot (decoders mostly meet
            // measures in vocabulary order).
            if let newValue, overflow == nil {
                let used = inlineCount
                for slot in 0..<used where slotIndex(slot) == index {
                    setSlot(slot, index: index, value: newValue)
                    return
                }
                if used < Self.inlineCapacity, used == 0 || slotIndex(used - 1) < index, index < 255 {
                    setSlot(used, index: index, value: newValue)
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
        for (slot, entry) in inline.enumerated() {
            setSlot(slot, index: entry.index, value: entry.value)
        }
        overflow = entries.count > inline.count ? Array(entries.dropFirst(inline.count)) : nil
    }

    private var entries: [Entry] {
        var result: [Entry] = []
        for slot in 0..<inlineCount { result.append(Entry(index: slotIndex(slot), value: slotValue(slot))) }
        return result + (overflow ?? [])
    }

    public var isEmpty: Bool { slotIndex(0) < 0 && overflow == nil }
    public var count: Int { inlineCount + (overflow?.count ?? 0) }
    /// Measure indices present, in order.
    public var indices: [Int] { entries.map(\.index) }

    /// Calls `body` with each measure index present, in order, without building an array
    /// (timelines look at every record's measures once when they are made).
    public func forEachIndex(_ body: (Int) -> Void) {
        for slot in 0..<Self.inlineCapacity {
            let index = slotIndex(slot)
            if index < 0 { break }  // Overflow entries may still follow (indices from 255 on).
            body(index)
        }
        for entry in overflow ?? [] { body(entry.index) }
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
