/// Lets concurrent workers write disjoint slots of one buffer.
///
/// ```swift
/// results.withUnsafeMutableBufferPointer { buffer in
///     let slots = UnsafeSendableBuffer(buffer)
///     DispatchQueue.concurrentPerform(iterations: n) { slots.buffer[$0] = work($0) }
/// }
/// ```
// Unchecked: each worker of `concurrentPerform` writes only its own index, read after all finish.
public struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    public let buffer: UnsafeMutableBufferPointer<Element>
    public init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}
