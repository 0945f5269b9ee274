namespace BudgetEval.Web.Shared;

/// <summary>Text made fit for the XML of the Office files the exports write (workbooks, Word documents).</summary>
internal static class XmlText
{
    /// <summary>
    /// XML 1.0 cannot carry most control characters; one pasted into any saved text would otherwise fail the
    /// whole file (the bureau's ledger of every unit, a Word report). They are dropped; tab and line breaks stay.
    /// </summary>
    public static string Safe(string text)
    {
        if (text.All(System.Xml.XmlConvert.IsXmlChar)) // false for surrogate pairs too: those take the loop, which keeps them
        {
            return text;
        }

        var sb = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(text[i]).Append(text[++i]);
            }
            else if (System.Xml.XmlConvert.IsXmlChar(text[i]))
            {
                sb.Append(text[i]);
            }
        }

        return sb.ToString();
    }
}
