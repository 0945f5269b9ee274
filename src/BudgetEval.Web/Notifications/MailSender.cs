using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using BudgetEval.Web.Infrastructure.Hosting;

namespace BudgetEval.Web.Notifications;

/// <summary>
/// Sends one outbox message with System.Net.Mail (MailKit does not restore here): SMTP per configuration,
/// or an .eml file in the pickup directory. Subject, headers and both bodies are UTF-8 so Chinese survives.
/// </summary>
internal sealed class MailSender(EmailOptions options, IHostEnvironment env) : IDisposable
{
    // One client per sender (and one sender per delivery worker): the SMTP connection is opened once
    // and reused for the worker's messages instead of a new connection, EHLO and QUIT per mail.
    private SmtpClient? _client;

    public void Dispose() => _client?.Dispose();

    /// <summary>Blocks until the server answers (see <see cref="OutboxDelivery"/> for why synchronously).</summary>
    public void Send(OutboxMessage message)
    {
        using var mail = new MailMessage
        {
            From = new MailAddress(options.FromAddress, options.FromName, Encoding.UTF8),
            Subject = message.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            BodyEncoding = Encoding.UTF8,
            Body = message.Text,
            IsBodyHtml = false,
        };
        mail.To.Add(new MailAddress(message.ToAddress, message.ToName ?? string.Empty, Encoding.UTF8));
        var html = AlternateView.CreateAlternateViewFromString(message.Html, Encoding.UTF8, MediaTypeNames.Text.Html);
        mail.AlternateViews.Add(html);

        var client = _client ??= CreateClient();
        try
        {
            client.Send(mail);
        }
        catch
        {
            // A broken connection must not poison the next message: start afresh.
            _client?.Dispose();
            _client = null;
            throw;
        }
    }

    private SmtpClient CreateClient()
    {
        var client = new SmtpClient { Timeout = options.TimeoutSeconds * 1000 };
        if (string.Equals(options.Mode, "Pickup", StringComparison.OrdinalIgnoreCase))
        {
            var dir = Path.GetFullPath(options.PickupDirectory, env.ContentRootPath);
            Directory.CreateDirectory(dir);
            client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            client.PickupDirectoryLocation = dir;
        }
        else
        {
            client.Host = options.Host;
            client.Port = options.Port;
            client.EnableSsl = options.EnableTls;
            if (!string.IsNullOrEmpty(options.UserName))
            {
                client.Credentials = new NetworkCredential(options.UserName, options.Password);
            }
        }

        return client;
    }
}
