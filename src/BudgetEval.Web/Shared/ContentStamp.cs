using System.Security.Cryptography;
using System.Text;

namespace BudgetEval.Web.Shared;

/// <summary>
/// The short fingerprint every content stamp uses (a finding's, a 整改情况说明's, a 自评表 field's, a part of an
/// evaluation): the first 64 bits of SHA-256 as 16 lower-case hex digits. Enough to tell an edit apart; not a secret.
/// </summary>
internal static class ContentStamp
{
    public static string Of(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
}
