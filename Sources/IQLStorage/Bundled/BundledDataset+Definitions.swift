import IQLCore
// The schemas of the bundled datasets. Provenance of every column: docs/datasets.md.

private let councilColumns: [Schema.Field] = [
    .text("authority", "council name, Ofsted's spelling (e.g. Bristol, Telford & Wrekin)"),
    .text("authority_code", "ONS code of the council (E06…, E08…, E09…, E10…)"),
    .text("region", "English region (9; London whole)"),
    .text("ofsted_region", "Ofsted region (8; North East with Yorkshire and the Humber)"),
]

private let dfe = "DfE, Children's social care statistics (Explore education statistics)"

extension BundledDataset {
    /// The companion of a council table: the same year and figures, for England, the 9
    /// regions and Inner and Outer London.
    package static func areas(of councils: BundledDataset, summary: String, csv: String) -> BundledDataset {
        let councilNames = councilColumns.map(\.name)
        let figures = councils.schema.columns.filter { $0.name != "year" && !councilNames.contains($0.name) }
        let year = councils.schema.columns.first { $0.name == "year" } ?? .number("year", "year")
        return BundledDataset(
            name: councils.name + "_areas", summary: summary, source: councils.source + "; national and regional rows",
            schema: Schema(columns: [year,
                                     .text("level", "england, region (9; London whole) or subregion (Inner or Outer London)"),
                                     .text("authority", "England, the region's name, or Inner London / Outer London"),
                                     .text("authority_code", "ONS code: E92000001 England, E12… region, E13… London half")] + figures,
                           timeColumn: "year"),
            csv: csv)
    }

    package static let authorities = BundledDataset(
        name: "authorities",
        summary: "The 153 English councils with children's services: names, codes, regions, type",
        source: "DfE and Ofsted reference lists (la_reference_153.csv)",
        schema: Schema(columns: councilColumns + [
            .text("authority_dfe", "council name, DfE's spelling (e.g. Bristol, City of)"),
            .text("dfe_code", "DfE's three-digit local authority code (e.g. 931)"),
            .text("region_code", "ONS code of the region"),
            .text("london_subregion", "Inner London or Outer London, for London boroughs"),
            .text("type", "Unitary authority, Metropolitan district, London borough or County council"),
            .text("ofsted_urn", "Ofsted's unique reference number for the council"),
        ]),
        csv: BundledCSV.authorities)

    package static let inspections = BundledDataset(
        name: "inspections",
        summary: "Every Ofsted inspection of a council's children's services, 2009 onwards (SLAC, CPI, TLAC, SIF, ILACS)",
        source: "Ofsted official statistics; ILACS inspections after March 2025 from the D2I report scrape",
        schema: Schema(columns: councilColumns + [
            .text("status", "Current, or No longer exists for councils abolished by reorganisation"),
            .text("framework", "SLAC, CPI, CPRI, TLAC, SIF or ILACS"),
            .text("type", "the kind of inspection within the framework (e.g. ILACS Short Inspection)"),
            .date("inspected", "first day of the inspection (ILACS only; null before 2018)"),
            .date("ended", "last day of the inspection (from the D2I scrape, where it has it)"),
            .date("published", "date the report was published"),
            .rating("overall", "overall effectiveness"),
            .rating("leaders", "impact of leaders (ILACS) / leadership, management and governance (SIF)"),
            .rating("help_and_protection", "experiences and progress of children who need help and protection"),
            .rating("children_in_care", "experiences and progress of children in care (before 2023 also care leavers)"),
            .rating("care_leavers", "experiences and progress of care leavers (ILACS from 2023, and SIF)"),
            .rating("adoption", "adoption performance (SIF)"),
            .rating("lscb", "Local Safeguarding Children Board review (SIF)"),
            .rating("safeguarding", "overall effectiveness of safeguarding services (SLAC, CPI, TLAC)"),
            .rating("looked_after_children", "overall effectiveness of services for looked after children (SLAC, TLAC)"),
            .text("source", "Ofsted official statistics, or D2I report scrape (unofficial)"),
        ], timeColumn: "published"),
        csv: BundledCSV.inspections)

    package static let visits = BundledDataset(
        name: "visits",
        summary: "ILACS focused visits and monitoring visits in 2022-23 and 2024-25, with their themes",
        source: "Ofsted official statistics, in-year inspection activity",
        schema: Schema(columns: councilColumns + [
            .text("type", "Focused visit or Monitoring visit"),
            .text("theme", "what the visit looked at"),
            .date("visited", "first day of the visit"),
            .date("published", "date the letter was published (2024-25 only)"),
            .text("reporting_year", "Ofsted's reporting year, April to March"),
        ], timeColumn: "visited"),
        csv: BundledCSV.visits)

    package static let childrenInCare = BundledDataset(
        name: "children_in_care",
        summary: "Children looked after at 31 March, by council and year, 2010-2025",
        source: "DfE SFR underlying data (2010-2017), LAIT (2018), Explore education statistics (2019-2025)",
        schema: Schema(columns: [.number("year", "year of the 31 March count")] + councilColumns + [
            .number("children", "children looked after at 31 March (null where suppressed)"),
            .number("rate_per_10k", "per 10,000 children aged under 18 (published from 2019)"),
            .number("started", "children who started to be looked after in the year to 31 March (from 2019)"),
            .number("started_rate_per_10k", "those starting, per 10,000 children aged under 18 (from 2019)"),
            .number("ceased", "children who ceased to be looked after in the year to 31 March (from 2019)"),
            .number("ceased_rate_per_10k", "those ceasing, per 10,000 children aged under 18 (from 2019)"),
            .text("source", "the publication the figure comes from"),
        ], timeColumn: "year"),
        csv: BundledCSV.children_in_care).withAreas("children_in_care_areas")

    package static let childrenInNeed = BundledDataset(
        name: "children_in_need",
        summary: "Children in need, by council and year, 2013-2025",
        source: dfe + ", table B1",
        schema: Schema(columns: [.number("year", "year ending 31 March")] + councilColumns + [
            .number("children", "children in need at 31 March (episodes)"),
            .number("episodes_in_year", "episodes of need open at any point in the year"),
            .number("started", "episodes that started in the year"),
            .number("ended", "episodes that ended in the year"),
            .number("awaiting_assessment", "children awaiting a first assessment at 31 March"),
        ], timeColumn: "year"),
        csv: BundledCSV.children_in_need).withAreas("children_in_need_areas")

    package static let childProtectionPlans = BundledDataset(
        name: "child_protection_plans",
        summary: "Children on a child protection plan at 31 March, by council and year, 2013-2025",
        source: dfe + ", table D5",
        schema: Schema(columns: [.number("year", "year of the 31 March count")] + councilColumns + [
            .number("children", "children on a child protection plan at 31 March"),
            .number("three_months_or_less", "of whom on a plan for 3 months or less"),
            .number("over_three_to_six_months", "more than 3 months, up to 6"),
            .number("over_six_months_to_a_year", "more than 6 months, less than a year"),
            .number("one_to_two_years", "1 year, less than 2"),
            .number("two_years_or_more", "2 years or more"),
        ], timeColumn: "year"),
        csv: BundledCSV.child_protection_plans).withAreas("child_protection_plans_areas")

    package static let referrals = BundledDataset(
        name: "referrals",
        summary: "Referrals to children's social care, by council and year, 2013-2025",
        source: dfe + ", table C1",
        schema: Schema(columns: [.number("year", "year ending 31 March")] + councilColumns + [
            .number("referrals", "referrals in the year"),
            .number("rereferrals", "referrals within 12 months of a previous one"),
            .number("rereferral_percent", "re-referrals as a percentage of referrals"),
            .number("no_further_action", "referrals that led to no further action"),
            .number("not_in_need", "referrals assessed as not in need"),
        ], timeColumn: "year"),
        csv: BundledCSV.referrals).withAreas("referrals_areas")

    package static let childPopulation = BundledDataset(
        name: "child_population",
        summary: "Children aged 0 to 17, ONS mid-year estimates, by council and year, 2012-2024",
        source: "ONS mid-year population estimates, as published by DfE",
        schema: Schema(columns: [.number("year", "mid-year of the estimate")] + councilColumns + [
            .number("children", "estimated residents aged 0 to 17"),
        ], timeColumn: "year"),
        csv: BundledCSV.child_population).withAreas("child_population_areas")

    package static let neighbours = BundledDataset(
        name: "neighbours",
        summary: "DfE children's services statistical neighbours (2025 model): 10 per council",
        source: "DfE statistical neighbour model, 2025",
        schema: Schema(columns: councilColumns + [
            .text("neighbour", "the neighbouring council, Ofsted's spelling"),
            .text("neighbour_code", "ONS code of the neighbour"),
            .number("rank", "1 is the closest neighbour, 10 the furthest"),
            .text("closeness", "DfE's band: Extremely close, Very close, Close, Somewhat close, …"),
        ]),
        csv: BundledCSV.neighbours)

    package static let providers = BundledDataset(
        name: "providers",
        summary: "Ofsted-registered social care providers (children's homes and others) with their latest full inspection, at 31 March 2023",
        source: "Ofsted official statistics, Children's social care data in England 2023",
        schema: Schema(columns: councilColumns + [
            .text("urn", "Ofsted's unique reference number"),
            .text("name", "provider name (REDACTED for children's homes at source)"),
            .text("provision_type", "children's home, independent fostering agency, …"),
            .text("sector", "Private, Local Authority, Voluntary, Academy or Health Authority"),
            .text("status", "registration status"),
            .date("registered", "registration date"),
            .number("places", "registered places"),
            .text("owner", "organisation that owns the provider"),
            .text("inspection_type", "type of the latest full inspection"),
            .date("inspected", "date of the latest full inspection"),
            .date("published", "publication date of that inspection's report"),
            .rating("overall", "overall experiences and progress of children and young people"),
            .rating("helped_and_protected", "how well children and young people are helped and protected"),
            .rating("leaders", "the effectiveness of leaders and managers"),
            .rating("education", "outcomes in education and related learning activities"),
            .rating("health", "health services"),
        ], timeColumn: "inspected"),
        csv: BundledCSV.providers)

    package static let childrenInCareAreas = areas(
        of: childrenInCare, summary: "Children looked after at 31 March, England (2010-2025) and regions (2019-2025), as DfE publishes them",
        csv: BundledCSV.children_in_care_areas)
    package static let childrenInNeedAreas = areas(
        of: childrenInNeed, summary: "Children in need, England and regions, 2013-2025, as DfE publishes them",
        csv: BundledCSV.children_in_need_areas)
    package static let childProtectionPlansAreas = areas(
        of: childProtectionPlans, summary: "Children on a child protection plan, England and regions, 2013-2025, as DfE publishes them",
        csv: BundledCSV.child_protection_plans_areas)
    package static let referralsAreas = areas(
        of: referrals, summary: "Referrals to children's social care, England and regions, 2013-2025, as DfE publishes them",
        csv: BundledCSV.referrals_areas)
    package static let childPopulationAreas = areas(
        of: childPopulation, summary: "Children aged 0 to 17, England and regions, 2012-2024, ONS estimates as DfE publishes them",
        csv: BundledCSV.child_population_areas)
}
