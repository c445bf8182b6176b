import IQLCore
import IQLStorage
import IQLLanguage
/// `derive c = E | summarize s = avg(c)` becomes `summarize s = avg(E)`: a column that only a
/// whole-table `sum` or `avg` reads is never made. The aggregate then adds E's blocks as they
/// are evaluated (`BlockEvaluation.sum`), where the derive made a column of them first (8 MB
/// over 1M rows) and the sum then ran alone on one core.
///
/// Only where nothing else can tell: the derive adds one column (replacing none), with no `by`
/// and no window; the `summarize` has no keys and that one aggregate, and nothing else in it
/// reads the column. E fails where the derive would have, with the same error (its rows are
/// the same rows, evaluated first, before any addition); the aggregate's note on null values
/// keeps the call as written.
package struct DeriveIntoAggregate: PlanPass {
    package let name = "fold-derive"

    package init() {}

    package func rewrite(_ plan: PipelinePlan) -> PipelinePlan? {
        var out = plan
        var changed = false
        var i = 0
        while i + 1 < out.nodes.count {
            if let node = fused(out.nodes[i], out.nodes[i + 1], input: out.input(of: i)) {
                out.nodes[i] = node
                out.nodes.remove(at: i + 1)
                changed = true
            }
            i += 1
        }
        return changed ? out : nil
    }

    /// The aggregate with the derive folded in, or nil when the two do not qualify.
    private func fused(_ first: PlanNode, _ second: PlanNode, input: Schema) -> PlanNode? {
        guard case .derive(let derive) = first.step, case .aggregate(var aggregate) = second.step,
              derive.keys.isEmpty, derive.timeColumn == nil, derive.items.count == 1,
              let item = derive.items.first, item.replacing == nil, !item.expression.readsWindow,
              aggregate.keys.isEmpty, aggregate.aggregates.count == 1,
              let call = aggregate.aggregates.first, call.function == .sum || call.function == .avg,
              let argument = call.argument else { return nil }
        let c = input.columns.count
        var read = Set<Int>()
        argument.addColumns(to: &read)
        guard read.contains(c) else { return nil }
        var elsewhere = Set<Int>()
        aggregate.items.forEach { $0.addColumns(to: &elsewhere) }
        guard !elsewhere.contains(c) else { return nil }
        let folded = argument.rewritten { e in
            if case .column(c) = e.shape { item.expression } else { nil }
        }
        aggregate.aggregates[0].argument = folded
        // The plan prints the call as it now runs, over the derive's input.
        let shown = call.function.rawValue + "(" + ExpressionPrinter(schema: input).text(folded) + ")"
        aggregate.items = aggregate.items.map { e in
            e.rewritten { x in
                if case .aggregate(0, _) = x.shape {
                    CompiledExpression(type: x.type, range: x.range, shape: .aggregate(0, text: shown))
                } else { nil }
            }
        }
        let text = first.text.isEmpty ? second.text : Substring(first.text + " | " + second.text)
        return PlanNode(step: .aggregate(aggregate), schema: second.schema, text: text,
                        range: first.range.union(second.range))
    }
}
