namespace BudgetEval.Web.Evaluations;

/// <summary>
/// Until the lead approves it, a selection is the bureau's internal proposal: the choice of target and its
/// reason are deliberations, and a rejected one (不予评价) never concerns the unit. The evaluated unit sees the
/// evaluation and its case only from 委托评价机构 on. The unit's query filters (AppDbContext) and the engine's
/// check of a locked case read these states; the bureau and a firm are not affected.
/// </summary>
internal static class EvaluationProposal
{
    /// <summary>The workflow of evaluation cases (the case filter tells them apart by it, on the case's own row).</summary>
    public const string WorkflowId = EvaluationService.WorkflowId;

    /// <summary>待审批: the finance lead decides.</summary>
    public const string Selected = "selected";

    /// <summary>不予评价: the lead rejected the proposal.</summary>
    public const string Dropped = "dropped";

    /// <summary>Whether a case is an evaluation the unit may not see yet (or ever), as the unit's case filter says.</summary>
    public static bool HidesCaseFromUnit(string definitionId, string state) =>
        definitionId == WorkflowId && state is Selected or Dropped;
}
