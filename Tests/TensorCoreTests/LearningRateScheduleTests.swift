import Foundation
import Testing
import TensorCore

/// Every schedule against Hugging Face's `get_*_schedule_with_warmup` read back through
/// `LambdaLR` (and the numpy port of Google's BERT schedule), steps 0…44.
@Suite struct LearningRateScheduleTests {
    struct Case: Decodable {
        var kind: String
        var warmup: Int?
        var total: Int?
        var cycles: Double?
        var lr_end: Double?
        var power: Double?
        var base_lr: Double
        var lrs: [Double]

        var schedule: LearningRateSchedule {
            let w = warmup ?? 0, t = total ?? 0
            switch kind {
            case "constant": return .constant
            case "constant_with_warmup": return .constantWithWarmup(warmupSteps: w)
            case "linear": return .linear(warmupSteps: w, totalSteps: t)
            case "cosine": return .cosine(warmupSteps: w, totalSteps: t, cycles: cycles!)
            case "cosine_with_hard_restarts": return .cosineWithHardRestarts(warmupSteps: w, totalSteps: t, cycles: Int(cycles!))
            case "polynomial":
                return .polynomial(warmupSteps: w, totalSteps: t, initialLR: base_lr, endLR: lr_end!, power: power!)
            case "bert_original": return .bertOriginal(warmupSteps: w, totalSteps: t)
            default: fatalError("unknown schedule kind \(kind)")
            }
        }
    }

    static let cases: [Case] = (try? OptimFixtures.decode([Case].self, "optim/schedules.json")) ?? []

    @Test func fixtureCoversEveryKind() {
        #expect(Set(Self.cases.map(\.kind)) == ["constant", "constant_with_warmup", "linear", "cosine",
                                                "cosine_with_hard_restarts", "polynomial", "bert_original"])
    }

    @Test(arguments: cases.indices)
    func matchesHuggingFace(index: Int) throws {
        let fixture = Self.cases[index]
        let schedule = fixture.schedule
        try schedule.validate()
        for (step, expected) in fixture.lrs.enumerated() {
            let actual = schedule.learningRate(base: fixture.base_lr, at: step)
            #expect(abs(actual - expected) <= 1e-15 + 1e-12 * abs(expected),
                    "\(fixture.kind) step \(step): \(actual) vs \(expected)")
        }
    }

    @Test func stepZeroWithWarmupIsZero() {
        #expect(LearningRateSchedule.linear(warmupSteps: 10, totalSteps: 100).multiplier(at: 0) == 0)
        #expect(LearningRateSchedule.linear(warmupSteps: 0, totalSteps: 100).multiplier(at: 0) == 1)
        #expect(LearningRateSchedule.bertOriginal(warmupSteps: 10, totalSteps: 100).multiplier(at: 10) == 0.9)
        #expect(LearningRateSchedule.linear(warmupSteps: 10, totalSteps: 100).multiplier(at: 10) == 1)
    }

    @Test func polynomialRejectsEndAboveStart() {
        #expect(throws: LearningRateScheduleError.self) {
            try LearningRateSchedule.polynomial(warmupSteps: 0, totalSteps: 10, initialLR: 1e-7, endLR: 1e-7).validate()
        }
        #expect(throws: LearningRateScheduleError.self) {
            try LearningRateSchedule.linear(warmupSteps: -1, totalSteps: 10).validate()
        }
    }

    @Test func codableRoundTrip() throws {
        let schedules: [LearningRateSchedule] = [
            .constant, .cosine(warmupSteps: 3, totalSteps: 9), .polynomial(warmupSteps: 1, totalSteps: 5, initialLR: 1e-3),
        ]
        let decoded = try JSONDecoder().decode([LearningRateSchedule].self, from: JSONEncoder().encode(schedules))
        #expect(decoded == schedules)
    }
}
