// libFuzzer target: arbitrary bytes as a query or script, through the lexer, parser, checker
// and evaluator against the bundled data, plus completion and both diagnostic renderings.
// Built by scripts/fuzz as a module of the IQL package, so it sees `package` declarations.
import IQL

/// One engine for every input: the bundled datasets parse once.
private let shared: Engine = {
    var engine = Engine()
    // No time limit: an input that runs too long is a bug to see, not an error to hide, and
    // libFuzzer's -timeout reports it. The row limit keeps joins of the bundled tables small;
    // the memory budget is small, and scripts/fuzz fails any allocation well past it. No
    // output folder: no input may write a file.
    engine.limits = EngineLimits(time: nil, rows: 200_000, memory: 64 << 20, outputBytes: 1 << 20)
    // LAIT's 641,070 rows take seconds to load unoptimised under AddressSanitizer, past the
    // per-input timeout: a few rows with the same columns stand in for them. A harness whose
    // stand-in does not load would fuzz less than it says, so that stops it.
    do {
        try engine.registerCSV(text: """
        measure,description,period,year,level,authority,authority_code,dfe_code,region,value
        LAC,"Children Looked after rate per 10,000",2025,2025,council,Oxfordshire,E10000025,931,South East,51
        LAC,"Children Looked after rate per 10,000",2025,2025,council,Buckinghamshire,E06000060,825,South East,38
        LAC,"Children Looked after rate per 10,000",2025,2025,region,South East,E12000008,989,,55
        LAC,"Children Looked after rate per 10,000",2025,2025,england,England,E92000001,970,,67
        ReReferral,"Percentage of referrals, within 12 months of a previous referral",2024,2024,council,Oldham,E08000004,353,North West,
        """, as: "indicators", timeColumn: "year")
    } catch {
        preconditionFailure("the stand-in indicators table does not load: \(error)")
    }
    return engine
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func queryFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let (source, invalid) = SourceDecoding.decode(bytes, name: "fuzz")
    if let invalid { _ = DiagnosticRenderer(color: false).render(invalid, in: source) }
    var engine = shared
    _ = engine.check(source.text, requireParameters: false)
    _ = Engine.needsMoreInput(source.text)
    _ = engine.completions(before: source.text)
    do {
        let result = try engine.run(source.text, sourceName: "fuzz")
        for table in result.tables {
            _ = CSVWriter.render(table)
            _ = JSONWriter.render(table)
            _ = TableRenderer(color: false, maxWidth: 80, maxRows: 20).render(table)
        }
        _ = DiagnosticRenderer(color: true).render(result.warnings, in: result.source)
    } catch {
        _ = DiagnosticRenderer(color: true).render(error.diagnostics, in: error.source)
        _ = DiagnosticJSON.render(error.diagnostics, in: error.source)
    }
    return 0
}
