using System.Security.Cryptography;

namespace BudgetEval.Web.Admin.Users;

/// <summary>
/// A random password that meets the password rules, for 批量导入's new accounts and 生成随机密码并重置, without
/// characters read wrong aloud or on paper (0/O, 1/l/I).
/// </summary>
internal static class InitialPassword
{
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", Lower = "abcdefghijkmnpqrstuvwxyz", Digits = "23456789", Symbols = "@#%+=?";

    /// <summary>A new password; never one containing the user name, which the password rules refuse.</summary>
    public static string New(string userName)
    {
        string password;
        do
        {
            password = Draw();
        }
        while (userName.Length > 0 && password.Contains(userName, StringComparison.OrdinalIgnoreCase));

        return password;
    }

    private static string Draw()
    {
        const string all = Upper + Lower + Digits + Symbols;
        var chars = new List<char>
        {
            Upper[RandomNumberGenerator.GetInt32(Upper.Length)],
            Lower[RandomNumberGenerator.GetInt32(Lower.Length)],
            Digits[RandomNumberGenerator.GetInt32(Digits.Length)],
            Symbols[RandomNumberGenerator.GetInt32(Symbols.Length)],
        };
        while (chars.Count < 12)
        {
            chars.Add(all[RandomNumberGenerator.GetInt32(all.Length)]);
        }

        // Shuffled, so the classes are not always in the same places.
        return new string([.. chars.OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue))]);
    }
}
