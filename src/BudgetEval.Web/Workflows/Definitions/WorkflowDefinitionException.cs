namespace BudgetEval.Web.Workflows.Definitions;

/// <summary>A definition file that cannot be used; the message names the file and the line so start-up logs point at the fix.</summary>
internal sealed class WorkflowDefinitionException : Exception
{
    public WorkflowDefinitionException(string file, int line, string problem)
        : base($"{file}:{line}: {problem}")
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    public WorkflowDefinitionException()
    {
        File = Problem = string.Empty;
    }

    public WorkflowDefinitionException(string message)
        : base(message)
    {
        File = Problem = string.Empty;
    }

    public WorkflowDefinitionException(string message, Exception inner)
        : base(message, inner)
    {
        File = Problem = string.Empty;
    }

    public string File { get; }

    public int Line { get; }

    public string Problem { get; }
}
