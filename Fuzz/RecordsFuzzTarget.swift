// libFuzzer target for the record readers and the record decoder: every input is read as YAML
// (record limits, and rule limits with aliases), JSON, JSON Lines and CSV, and each item is
// decoded, both straight from the readers' events and through nodes (which must agree). Built by scripts/fuzz.sh, not by `swift build`. Any crash, hang or sanitizer report
// is a bug; thrown errors are the expected outcome for bad input.
import AttuneCore
import AttuneYAML

let vocabulary: Vocabulary = {
    var vocabulary = Vocabulary()
    vocabulary.declare(MeasureSpec(name: "srs", title: "SRS", range: 0...40, better: .higher, cutoff: 36))
    vocabulary.declare(MeasureSpec(name: "ors", title: "ORS", range: 0...40, better: .higher, cutoff: 25))
    vocabulary.declare(MeasureSpec(name: "phq9", title: "PHQ-9", range: 0...27, better: .lower))
    vocabulary.markers = ["minimal-response", "avoidant-storytelling"]
    return vocabulary
}()

let mapYAML = """
    date_format: dd/MM/yyyy
    columns:
      a: client
      b: therapist
      c: date
      d: {field: attendance, values: {DNA: no-show, x: ~}}
      e: srs
      f: {field: tags, split: "|"}
      g: rupture.type
    overrides:
      - when: {h: "2"}
        set: {attendance: no-show}
    defaults: {episode: "1"}
    """
let today = Day(iso: "2027-01-01")!

// a fixed, valid map
let csvMap = try! CSVMap.decode(.bytes(Array(mapYAML.utf8)), file: "map.yaml", vocabulary: vocabulary)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecords(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var loader = RecordLoader(vocabulary: vocabulary)
    loader.today = today
    var general = loader
    general.readsRecordsFromEvents = false
    var batch = RecordBatch()
    for format in RecordFormat.allCases {
        loader.read(.bytes(bytes), name: "fuzz", format: format, into: &batch)
        // Records read straight from events must be exactly those read through nodes, with the same errors.
        var fast = RecordBatch()
        var reference = RecordBatch()
        loader.read(.bytes(bytes), name: "fuzz", format: format, into: &fast)
        general.read(.bytes(bytes), name: "fuzz", format: format, into: &reference)
        if fast.records != reference.records || fast.errors != reference.errors || fast.itemsRead != reference.itemsRead
            || fast.leftOut != reference.leftOut || fast.unreadableFiles != reference.unreadableFiles
        {
            fatalError("the two record reading paths disagree (\(format)): \(fast.errors) against \(reference.errors)")
        }
    }
    var mapped = RecordLoader(vocabulary: vocabulary, inputFormat: .csv, csvMap: csvMap)
    mapped.maxErrorsPerFile = 50
    mapped.read(.bytes(bytes), name: "fuzz", format: .csv, into: &batch)
    batch.markDuplicates()
    // Rule files allow aliases within a budget: the alias bookkeeping gets fuzzed too.
    _ = try? YAMLReader.documents(in: .bytes(bytes), limits: .rules)  // errors are the expected outcome here
    _ = try? JSONReader.document(in: .bytes(bytes), limits: .rules)  // likewise
    _ = try? CSVMap.decode(.bytes(bytes), file: "fuzz", vocabulary: vocabulary)  // likewise
    return 0
}
