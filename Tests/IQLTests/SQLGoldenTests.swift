import Testing
import IQL

/// The SQL text of a table of queries in both dialects, kept as golden files
/// (Golden/sql/NAME.DIALECT.sql) so that a change to what is compiled is always seen.
struct SQLGoldenTests {
    static let queries: [(name: String, iql: String)] = [
        ("filter_sort_take", #"from inspections | where overall >= good and region == "London" | sort published desc | take 3 | select authority, published, overall"#),
        ("count_by_rating", "from inspections | where framework == \"ILACS\" | latest published by authority | count by overall"),
        ("summarize_two_keys", "from children_in_care | where year >= 2020 | summarize total = sum(children), m = median(rate_per_10k), first_code = first(authority_code) by region, year"),
        ("derive_window", "from children_in_care | derive before = previous(children) by authority | derive change = pct_change(before, children) | where year == 2025 | select authority, change"),
        ("functions", #"from inspections | derive y = year(published), days = days_between(inspected, published), p = if(contains(lower(authority), "shire"), "shire", coalesce(type, "?")) | select authority, y, days, p"#),
        ("distinct_count", "from inspections | select region, framework | distinct | count"),
        ("joins", "from children_in_care | where year == 2025 | join left authorities on authority | join anti visits on authority | select authority, region, children"),
        ("latest_as_of", "from inspections | latest published by authority as of 2019-08-31 | where overall >= good | select authority, overall"),
        ("let_and_assert", "let london = from authorities | where region == \"London\"\nfrom london | count\nassert first(n) == 33"),
        ("rank_quartile", "from children_in_care | where year == 2025 | rank rate_per_10k asc by region | quartile children | select authority, region, rank, quartile"),
        ("quartile_by_polarity", #"from indicators | where measure == "ReReferral" and level == "council" and year == 2025 | quartile value | count by quartile"#),
        ("pivot_unpivot", "from children_in_care | where year >= 2023 | select authority, year, children | pivot year children | unpivot"),
        ("pivot_values", "from inspections | select region, framework, n = 1 | distinct | pivot framework n values [\"ILACS\", \"SIF\"]"),
        ("compare", "from children_in_care | where year >= 2024 | select authority, year, children | compare children with neighbours, region, england"),
        ("text_order", #"from authorities | where authority like "B%" or ends_with(authority, "ton") | sort authority desc | select authority"#),
    ]

    @Test(arguments: SQLDialect.allCases)
    func sqlText(dialect: SQLDialect) throws {
        let engine = Engine()
        for (name, iql) in Self.queries {
            let statements = try engine.sql(iql, dialect: dialect)
            let text = statements.map { $0.text + ";\n" }.joined(separator: "\n")
            Golden.check("-- " + iql.replacingOccurrences(of: "\n", with: "\n-- ") + "\n" + text, "sql/\(name).\(dialect.rawValue).sql")
        }
    }
}
