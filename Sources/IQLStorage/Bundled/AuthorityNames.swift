import IQLCore
/// Resolves the ways sources write an English council (or region, or England) to one identity.
///
/// Ofsted, DfE and ONS spell councils differently ("Bristol" / "Bristol, City of", "Telford &
/// Wrekin" / "Telford and Wrekin", "Durham" / "County Durham") and identify them by different
/// codes (ONS E06000023, DfE 801). Every official spelling and either code of a council resolves
/// to the same identity, its ONS code; `name(of:)` gives the spelling IQL's datasets use
/// (Ofsted's). Councils abolished by reorganisation keep identities of their own.
package struct AuthorityNames: Sendable {
    /// The identity (current ONS code) of each normalised spelling and code.
    private var identities: [String: String] = [:]
    /// The spelling IQL's bundled datasets use, by identity.
    private var names: [String: String] = [:]
    /// The region (9; London whole) of each council, by identity.
    private var regions: [String: String] = [:]
    /// Region names as the authorities table writes them, resolved once the regions are added.
    private var pendingRegions: [String: String] = [:]

    package static let shared = AuthorityNames(authorities: try? BundledStore.shared.table(BundledDataset.authorities))
    /// Regions, England and abolished councils only: for an engine made without bundled data,
    /// which must not load the authorities table.
    package static let withoutBundledData = AuthorityNames(authorities: nil)

    package init(authorities: Table?) {
        if let t = authorities, let name = t.column(named: "authority"), let code = t.column(named: "authority_code"),
           let dfeName = t.column(named: "authority_dfe"), let dfeCode = t.column(named: "dfe_code") {
            for r in 0..<t.rowCount {
                guard case .text(let id) = code[r], case .text(let display) = name[r] else { continue }
                add(id, display: display, aliases: [display, id] + [dfeName[r], dfeCode[r]].compactMap(\.textValue))
                if let region = t.column(named: "region")?[r].textValue { pendingRegions[id] = region }
            }
        }
        // Abolished councils, whose history rows remain under their own names and codes.
        add("E06000028", display: "Bournemouth", aliases: ["Bournemouth", "837", "Bournemouth (Pre LG)"])
        add("E06000029", display: "Poole", aliases: ["Poole", "836", "Poole (Pre LG)"])
        add("E10000009", display: "Dorset County Council", aliases: ["Dorset County Council", "835", "Dorset (Pre LG)", "E10000009"])
        add("E10000021", display: "Northamptonshire", aliases: ["Northamptonshire", "928"])
        add("E10000006", display: "Cumbria", aliases: ["Cumbria", "909"])
        // Councils that continued under a new ONS code after a boundary change.
        for (old, new) in [("E10000023", "E06000065"), ("E10000027", "E06000066"), ("E10000002", "E06000060"),
                           ("E08000020", "E08000037"), ("E06000048", "E06000057")] where names[new] != nil {
            identities[Self.normalised(old)] = new
        }
        // Other spellings seen in published tables.
        for (alias, id) in [("Hull", "E06000010"), ("Bedford Borough", "E06000055"), ("Southend", "E06000033"),
                            ("St Helens", "E08000013"), ("Richmond", "E09000027"), ("Kingston", "E09000021"),
                            ("Hammersmith", "E09000013"), ("Durham County", "E06000047")] where names[id] != nil {
            identities[Self.normalised(alias)] = id
        }
        let regionList = [("North East", "E12000001"), ("North West", "E12000002"), ("Yorkshire and The Humber", "E12000003"),
                       ("East Midlands", "E12000004"), ("West Midlands", "E12000005"), ("East of England", "E12000006"),
                       ("London", "E12000007"), ("South East", "E12000008"), ("South West", "E12000009"),
                       ("Inner London", "E13000001"), ("Outer London", "E13000002"), ("England", "E92000001")]
        for (name, code) in regionList { add(code, display: name, aliases: [name, code]) }
        identities[Self.normalised("Yorkshire and the Humber")] = "E12000003"
        identities[Self.normalised("London (Inner)")] = "E13000001"
        identities[Self.normalised("London (Outer)")] = "E13000002"
        for (id, region) in pendingRegions { regions[id] = identity(of: region) }
        for (id, region) in [("E06000028", "E12000009"), ("E06000029", "E12000009"), ("E10000009", "E12000009"),
                             ("E10000021", "E12000004"), ("E10000006", "E12000002")] { regions[id] = region }
        pendingRegions = [:]
    }

    /// The identity of a council's region (9 regions; London whole).
    package func region(of identity: String) -> String? { regions[identity] }

    /// True for a council, as opposed to a region or England.
    package func isCouncil(_ identity: String) -> Bool { regions[identity] != nil }

    private mutating func add(_ id: String, display: String, aliases: [String]) {
        names[id] = display
        for a in aliases { identities[Self.normalised(a)] = id }
    }

    /// The identity of a spelling or code, if it names a council, a region or England.
    package func identity(of text: String) -> String? {
        let key = Self.normalised(text)
        if let id = identities[key] { return id }
        for variant in Self.variants(of: key) { if let id = identities[variant] { return id } }
        return nil
    }

    /// The spelling IQL's datasets use for an identity.
    package func name(of identity: String) -> String? { names[identity] }

    /// Lower case, `&` as `and`, punctuation as spaces, single spaces.
    package static func normalised(_ text: String) -> String {
        // Council names and codes are ASCII: bytes then, where Characters' Unicode properties
        // made building the resolver a tenth of start-up.
        text.utf8.allSatisfy({ $0 < 0x80 }) ? asciiNormalised(text) : unicodeNormalised(text)
    }

    /// `normalised` for ASCII text, byte by byte; the same as `unicodeNormalised` (a test checks).
    package static func asciiNormalised(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 4)
        var pendingSpace = false
        for var b in text.utf8 {
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) {
                if pendingSpace, !out.isEmpty { out.append(0x20) }
                pendingSpace = false
                out.append(b)
            } else if b == 0x26 {
                if !out.isEmpty { out.append(0x20) }
                out.append(contentsOf: [0x61, 0x6E, 0x64])
                pendingSpace = true
            } else {
                pendingSpace = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `normalised` by Characters, for any text.
    package static func unicodeNormalised(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber {
                if pendingSpace, !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(ch)
            } else if ch == "&" {
                if !out.isEmpty { out.append(" ") }
                out.append("and")
                pendingSpace = true
            } else {
                pendingSpace = true
            }
        }
        return out
    }

    /// Words some publications put before a name ("City of", "County").
    private static let prefixes = ["city of ", "county of ", "county ", "royal borough of ", "london borough of ", "the "]
    /// Words some publications put after one ("Council", "Borough").
    private static let suffixes = [" city of", " county of", " city council", " county council", " borough council", " council",
                                   " metropolitan borough", " borough", " county"]

    /// The same name without the words some publications add ("City of", "County", "Council").
    private static func variants(of key: String) -> [String] {
        var out: [String] = []
        for prefix in prefixes where key.hasPrefix(prefix) {
            out.append(String(key.dropFirst(prefix.count)))
        }
        for suffix in suffixes where key.hasSuffix(suffix) {
            out.append(String(key.dropLast(suffix.count)))
        }
        return out
    }

    /// Every normalised spelling that resolves, with its identity and, for a council, its
    /// region: what a database needs to resolve names as `identity(of:)` does, by looking up
    /// the normalised text. A key is a known spelling, or one with a word `variants` takes
    /// off added before or after it; each is resolved by `identity(of:)` itself, so the table
    /// gives its answer for every text whose normalised form is ASCII.
    package func lookupRows() -> [(key: String, identity: String, region: String?)] {
        var candidates = Set<String>()
        for key in identities.keys where !key.isEmpty {
            candidates.insert(key)
            for prefix in Self.prefixes { candidates.insert(prefix + key) }
            for suffix in Self.suffixes { candidates.insert(key + suffix) }
        }
        return candidates.sorted().compactMap { key in
            identity(of: key).map { (key, $0, regions[$0]) }
        }
    }
}

extension Value {
    /// The text, if this is a text value.
    package var textValue: String? {
        if case .text(let s) = self { return s }
        return nil
    }
}
