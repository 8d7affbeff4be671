import PlacePlanCore

/// A clock for tests: time moves only when told, or by `step` on every reading (so a phase that
/// checks its deadline in a loop sees time pass deterministically, however fast the machine).
public final class FakeClock: @unchecked Sendable {
    public private(set) var time: Double
    public var step: Double
    public private(set) var readings = 0
    public init(time: Double = 0, step: Double = 0) { self.time = time; self.step = step }
    public func advance(_ seconds: Double) { time += seconds }
    public func read() -> Double { readings += 1; time += step; return time }
    public var clock: Deadline.Clock { { [self] in self.read() } }
}
