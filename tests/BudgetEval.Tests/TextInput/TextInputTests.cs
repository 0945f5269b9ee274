
namespace BudgetEval.Tests.TextInput;

/// <summary>The one normalisation every text field goes through at input: single-line fields become one line, multi-line fields keep their lines.</summary>
public sealed class TextInputTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"x\")\r\nBcc: attacker@evil.example\r\n<script>", "=HYPERLINK(\"x\") Bcc: attacker@evil.example <script>")]
    [InlineData("关于\r\n2025年度\t项目", "关于 2025年度 项目")]
    [InlineData("  前后空白  ", "前后空白")]
    [InlineData("多个   空格", "多个 空格")]
    [InlineData("不换行\u00A0空格\u2028行分隔\u2029段分隔", "不换行 空格 行分隔 段分隔")]
    [InlineData("Word\u000B手动换行\u000C分页", "Word 手动换行 分页")]
    [InlineData("NUL\u0000与\u0001控制\u007F字符\u009B", "NUL与控制字符")]
    [InlineData("a \u0001 b", "a b")]
    [InlineData("张\u3000三", "张\u3000三")]
    [InlineData("\u3000张三\u3000", "张三")]
    [InlineData("张\u3000 三", "张 三")]
    [InlineData("普通标题", "普通标题")]
    [InlineData("报告\u202Excod.exe", "报告xcod.exe")] // right-to-left override: would read as "…exe.docx"
    [InlineData("\uFEFF培训费\u200B报销\u2066附件\u2069", "培训费报销附件")] // BOM, zero-width space, isolate
    [InlineData("a\u200E\u200F\u061C\u2060b", "ab")]
    [InlineData("a \u200B b", "a b")] // dropped inside a run of spaces: still one space
    [InlineData("家\u200D庭", "家\u200D庭")] // ZWJ kept
    public void Line_makes_one_trimmed_line(string input, string expected) =>
        Assert.Equal(expected, Web.Shared.TextInput.Line(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t\u00A0")]
    [InlineData("\u0000\u0001")]
    public void Line_of_nothing_is_null(string? input)
    {
        Assert.Null(Web.Shared.TextInput.Line(input));
        Assert.Equal(string.Empty, Web.Shared.TextInput.LineOrEmpty(input));
    }

    [Theory]
    [InlineData("第一行\r\n第二行\r第三行\n第四行", "第一行\n第二行\n第三行\n第四行")]
    [InlineData("段落\u2029下一段\u2028下一行\u000B手动换行", "段落\n下一段\n下一行\n手动换行")]
    [InlineData("措施\u0000一\u0001二\u007F", "措施一二")]
    [InlineData("列1\t列2", "列1\t列2")]
    [InlineData("\uFEFF第一行\u202E\n第二行\u200B", "第一行\n第二行")]
    [InlineData("\r\n  首尾空行  \r\n\r\n", "首尾空行")]
    [InlineData("空行\r\n\r\n保留", "空行\n\n保留")]
    [InlineData("\r\n　　第一段。\r\n　　第二段。  ", "　　第一段。\n　　第二段。")] // Word's 全角 indent of the first paragraph stays
    [InlineData(" \t　　缩进", "　　缩进")]
    public void Block_keeps_lines_as_lf_and_drops_other_control_characters(string input, string expected) =>
        Assert.Equal(expected, Web.Shared.TextInput.Block(input));

    [Theory]
    [InlineData(null)]
    [InlineData(" \r\n ")]
    [InlineData("\u0000")]
    public void Block_of_nothing_is_null(string? input) => Assert.Null(Web.Shared.TextInput.Block(input));

    [Fact]
    public void Both_are_idempotent()
    {
        const string Messy = " a\r\n\u00A0b\u0000\tc\u3000\u3000d \u2028 e ";
        var line = Web.Shared.TextInput.Line(Messy);
        var block = Web.Shared.TextInput.Block(Messy);
        Assert.Equal(line, Web.Shared.TextInput.Line(line));
        Assert.Equal(block, Web.Shared.TextInput.Block(block));
        Assert.DoesNotContain('\n', line!);
        Assert.Contains('\n', block!);
    }
}
