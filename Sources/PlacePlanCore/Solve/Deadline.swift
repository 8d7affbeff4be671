import Dispatch
import GLPKSolver

/// When a solve must stop: one end time on one monotonic clock, handed to every phase.
///
/// The clock is injected (`Deadline.after(_:clock:)`), so tests drive it with a fake one; the core
/// reads time nowhere else. Every loop that can run long asks `expired` (cheap) every few hundred
/// iterations and, when it fires, returns its best so far. A phase's share of the limit is a
/// `Deadline` too (`until(_:)`), ending no later than the whole solve's.
///
/// Checks also keep the progress line alive: `expired` reports a heartbeat to the `Monitor` at most
/// every `heartbeat` seconds, and the monitor remembers whether a deadline fired during the phase
/// that is running, so the strategy can record which phases were cut short.
public struct Deadline: Sendable {
    /// Seconds on a monotonic clock (any origin).
    public typealias Clock = @Sendable () -> Double

    /// The process's monotonic clock (`CLOCK_MONOTONIC` through Dispatch): unaffected by wall-clock changes.
    public static let monotonic: Clock = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    let clock: Clock
    /// When the whole solve started, and when this deadline ends (nil: never).
    public let start: Double
    public let end: Double?
    let monitor: Monitor?
    /// Remembers that this deadline fired, so later checks (loops on their way out) cost no clock reading.
    let latch = Latch()

    init(clock: @escaping Clock, start: Double, end: Double?, monitor: Monitor?) {
        self.clock = clock; self.start = start; self.end = end; self.monitor = monitor
    }

    /// A deadline `seconds` from now (never, when nil).
    public static func after(_ seconds: Double?, clock: @escaping Clock = Deadline.monotonic, monitor: Monitor? = nil) -> Deadline {
        let now = clock()
        return Deadline(clock: clock, start: now, end: seconds.map { now + max(0, $0) }, monitor: monitor)
    }

    /// No time limit (node limits alone end the search); no progress reports.
    public static var never: Deadline { after(nil) }

    public var now: Double { clock() }
    /// Seconds since the solve started.
    public var elapsed: Double { clock() - start }
    /// Seconds left (never below 0), nil without a limit.
    public var remaining: Double? { end.map { max(0, $0 - clock()) } }
    /// The whole limit this deadline was cut from (nil without a limit).
    public var limit: Double? { end.map { $0 - start } }

    /// True once the end has passed. Also a heartbeat for the progress line, and, when the running
    /// phase's own end has passed (not just a slice of it), marks that phase as cut short.
    public var expired: Bool {
        if latch.fired { return true }
        let t = clock()
        guard let monitor else {
            guard let end, t >= end else { return false }
            latch.fired = true
            return true
        }
        monitor.beat(at: t - start)
        guard let end, t >= end else { return false }
        latch.fired = true
        if let phaseEnd = monitor.phaseEnd, t >= phaseEnd { monitor.fired = true }
        return true
    }

    /// The deadline at `fraction` of the whole limit from the solve's start (no later than this one's end).
    public func until(_ fraction: Double) -> Deadline {
        guard let end, let limit else { return self }
        return Deadline(clock: clock, start: start, end: min(end, start + fraction * limit), monitor: monitor)
    }

    /// The same deadline reporting to `monitor`.
    func with(monitor: Monitor) -> Deadline { Deadline(clock: clock, start: start, end: end, monitor: monitor) }

    /// This deadline, but no more than `seconds` from now (for a sub-solve's slice).
    public func atMost(_ seconds: Double) -> Deadline {
        let cap = clock() + seconds
        return Deadline(clock: clock, start: start, end: end.map { min($0, cap) } ?? cap, monitor: monitor)
    }

    /// This deadline as GLPK's time budget: asked between simplex slices and at branch-and-bound
    /// callbacks, so it also beats the progress line and marks the phase cut short when it fires.
    var budget: TimeBudget { let d = self; return TimeBudget { d.expired ? 0 : d.remaining } }

    final class Latch: @unchecked Sendable { var fired = false }

    /// Receives heartbeats from every deadline check and records whether a deadline fired.
    /// Single-threaded by design (a solve runs on one thread, as GLPK requires).
    public final class Monitor: @unchecked Sendable {
        /// Called at most every `interval` seconds of solve time with the seconds elapsed.
        let onBeat: (Double) -> Void
        let interval: Double
        var lastBeat = -Double.infinity
        /// Set when a deadline check found the running phase's end passed; reset by the strategy per phase.
        public var fired = false
        /// The running phase's end (set by the strategy).
        public var phaseEnd: Double?

        public init(interval: Double = 0.25, onBeat: @escaping (Double) -> Void) {
            self.interval = interval; self.onBeat = onBeat
        }

        func beat(at elapsed: Double) {
            guard elapsed - lastBeat >= interval else { return }
            lastBeat = elapsed
            onBeat(elapsed)
        }
    }
}
