extension Array {
    /// Appends `other`'s elements in order, leaving it empty: each element is moved, not copied.
    /// `append(contentsOf:)` copies every element (retaining each reference it holds) and the
    /// source releases them all again when it goes; for arrays of findings that is most of a merge.
    ///
    /// ```swift
    /// var all = [a], part = [b, c]
    /// all.append(movingFrom: &part)   // all == [a, b, c], part == []
    /// ```
    mutating func append(movingFrom other: inout [Element]) {
        guard !other.isEmpty else { return }
        // Grown geometrically: reserving exactly what each call needs would copy the whole
        // array on every call when it is called in a loop.
        if capacity < count + other.count { reserveCapacity(Swift.max(count + other.count, 2 * capacity)) }
        // Reversed in place (swaps move), then taken from the end: `popLast` moves an element
        // out of an array held once.
        other.reverse()
        while let element = other.popLast() { append(element) }
        other = []  // Its buffer too: popping keeps the capacity.
    }
}
