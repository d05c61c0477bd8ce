import AttuneCore
import Foundation
import Testing

/// The duplicate check on several threads finds exactly what it finds on one: the same errors in
/// input order, each naming the first record of its key, and the same records kept.
struct ParallelDuplicateTests {
    /// Records of 3,000 clients over 40 days, with every 7th record repeated later (some twice,
    /// some with another session number, which is not a duplicate), far apart in the input.
    func records() -> [SessionRecord] {
        var records: [SessionRecord] = []
        for client in 0..<3_000 {
            for day in 0..<20 {
                records.append(
                    SessionRecord(
                        client: "C-\(client)", therapist: "T-\(client % 9)", episode: client % 5 == 0 ? "2" : "1",
                        date: Day(number: Int32(20_000 + day * 2)), session: day % 3 == 0 ? nil : day + 1,
                        attendance: .attended,
                        source: SourceLocation(file: "records.yaml", line: records.count + 1, column: 3)))
            }
        }
        let originals = records
        for (index, record) in originals.enumerated() where index % 7 == 0 {
            var again = record
            again.source = SourceLocation(file: "records.yaml", line: records.count + 1, column: 3)
            records.append(again)
            if index % 21 == 0 {
                again.source.line += 1
                records.append(again)
            }
            if index % 5 == 0 {
                again.session = (again.session ?? 0) + 100
                again.source.line += 1
                records.append(again)
            }
        }
        return records
    }

    @Test func severalJobsFindWhatOneFinds() {
        var one = RecordBatch()
        one.records = records()
        one.markDuplicates(jobs: 1)
        let expected = (0..<60_000).filter { $0 % 7 == 0 }.count + (0..<60_000).filter { $0 % 21 == 0 }.count
        #expect(one.errors.count == expected)
        #expect(one.leftOut == expected)
        // In input order, each naming the first record of its key (a third copy names the first, not the second).
        let lines = one.errors.map(\.location.line)
        #expect(lines == lines.sorted())
        let all = records()
        var firstOfKey: [String: Int] = [:]
        for (index, record) in all.enumerated() {
            let key = "\(record.client) \(record.episode) \(record.date) \(record.session ?? -1)"
            if firstOfKey[key] == nil { firstOfKey[key] = index + 1 }
        }
        for error in one.errors {
            let record = all[error.location.line - 1]
            let first = firstOfKey["\(record.client) \(record.episode) \(record.date) \(record.session ?? -1)"] ?? -1
            #expect(first < error.location.line)
            #expect(error.message.hasSuffix("first given at records.yaml:\(first):3"), "\(error)")
        }
        for jobs in [2, 3, 8] {
            var many = RecordBatch()
            many.records = records()
            many.markDuplicates(jobs: jobs)
            #expect(many.errors == one.errors, "jobs \(jobs)")
            #expect(many.records == one.records, "jobs \(jobs)")
            #expect(many.leftOut == one.leftOut)
        }
    }
}
