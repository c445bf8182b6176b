import IQLCore
import CBundledData
import Foundation

// The LAIT tables. `indicators` is too large for a Swift literal as CSV (36 MB), so it is
// kept gzip-compressed and base64-encoded (Generated/IndicatorsGzip.swift) and inflated on
// first use.

private let lait = "DfE Local Authority Interactive Tool (LAIT), bds_long_0.parquet"

extension BundledDataset {
    /// The columns of the compressed CSV, in its order; `description` is added from `measures`.
    package static let indicatorFileColumns: [Schema.Field] = [
        .text("measure", "LAIT's short code for the measure (e.g. LAC, CIN, CPP_rate); see measures"),
        .text("period", "the period as LAIT writes it: 2022, 2021-22, 2021/22, 2014-16, 2018 (Rev)"),
        .number("year", "the year the period ends (2021-22 is 2022, 2014-16 is 2016): orders periods in time"),
        .text("level", "council, region, subregion (Inner or Outer London) or england"),
        .text("authority", "council (Ofsted's spelling), region, Inner/Outer London, or England"),
        .text("authority_code", "ONS code: E06…/E08…/E09…/E10… council, E12… region, E13… London half, E92000001 England"),
        .text("dfe_code", "DfE's code (e.g. 931; 970 England, 980-990 regions)"),
        .text("region", "the council's region (9; London whole); empty for regions and England"),
        .number("value", "the figure; null where LAIT has a suppression marker (-)"),
    ]

    package static let indicators = BundledDataset(
        name: "indicators",
        summary: "434 LAIT measures by council, region and England, mostly 2016-2025 (641,070 rows)",
        source: lait,
        schema: Schema(columns: [indicatorFileColumns[0],
                                 .text("description", "what the measure counts, from LAIT's measure list (null where LAIT gives none)")]
                            + indicatorFileColumns.dropFirst(), timeColumn: "year"),
        build: loadIndicators)

    package static let measures = BundledDataset(
        name: "measures",
        summary: "The 434 LAIT measures: code, description, periods covered, whether higher is better",
        source: lait + "; descriptions from its measure list; polarity from its data dictionary",
        schema: Schema(columns: [
            .text("measure", "LAIT's short code, as in indicators.measure"),
            .text("description", "what it counts (null where LAIT gives no description)"),
            .number("periods", "how many distinct periods the measure has"),
            .text("first_period", "its earliest period"),
            .text("last_period", "its latest period"),
            .number("first_year", "the year its earliest period ends"),
            .number("last_year", "the year its latest period ends"),
            .text("polarity", "LAIT's polarity: High, Low, or - where LAIT sets no direction (null where its dictionary has none)"),
            .bool("higher_is_better", "true for High, false for Low, null otherwise; rank and quartile follow it"),
        ]),
        csv: BundledCSV.measures)

    /// The indicators table's CSV, decoded and inflated from the text compiled into the library.
    package static func indicatorsCSV() throws(IQLError) -> [UInt8] {
        let encoded = BundledCSV.indicatorsGzipBase64.withUTF8Buffer { Data($0) }
        guard let gz = Data(base64Encoded: encoded) else {
            throw IQLError([.error(.bundledIndicatorsDamaged, at: nil)], source: nil)
        }
        let bytes: [UInt8] = gz.withUnsafeBytes { raw in
            guard let input = raw.bindMemory(to: UInt8.self).baseAddress else { return [] }
            let size = iql_gzip_inflated_size(input, raw.count)
            return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                let n = buffer.baseAddress.map { iql_gzip_inflate(input, raw.count, $0, size) } ?? -1
                count = n == size ? size : 0
            }
        }
        guard !bytes.isEmpty else {
            throw IQLError([.error(.bundledIndicatorsDamaged, at: nil)], source: nil)
        }
        return bytes
    }

    @Sendable private static func loadIndicators() throws(IQLError) -> Table {
        let file = try CSVLoader.load(try indicatorsCSV(), file: "indicators", schema: Schema(columns: indicatorFileColumns))
        let descriptions = try BundledStore.shared.table(measures)
        var text: [String: Value] = [:]
        if let codes = descriptions.column(named: "measure"), let words = descriptions.column(named: "description") {
            for r in 0..<descriptions.rowCount { if case .text(let m) = codes[r] { text[m] = words[r] } }
        }
        guard let measure = file.column(named: "measure") else { return file }
        let description = Column((0..<file.rowCount).map { r -> Value in
            if case .text(let m) = measure[r] { return text[m] ?? .null }
            return .null
        })
        var columns = file.columns
        columns.insert(description, at: 1)
        return Table(schema: indicators.schema, columns: columns, rowCount: file.rowCount)
    }
}
