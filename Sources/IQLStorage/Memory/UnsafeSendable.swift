/// Hands a pointer to worker threads while its owner waits for them: each thread reads the
/// memory, or writes only a part no other thread touches, and the pointer outlives no call.
@usableFromInline package struct UnsafeSendable<T>: @unchecked Sendable {
    @usableFromInline package let value: T
    @inlinable package init(_ value: T) { self.value = value }
}
