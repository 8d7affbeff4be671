import ArgumentParser
import Foundation
import PlacePlanCore

extension PlacePlan {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Solve under several profiles and compare them side by side.")
        @Argument var cluster: String
        @Option var profile: [String] = []
        func run() throws { throw SolverFailure(description: "placeplan: compare is not available in this build") }
    }
}
