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

    // Pickup mode: SmtpClient writes the .eml under a name of its own, straight into the directory it is given.
    // It writes into this sender's staging directory instead, and the finished file is renamed into the pickup
    // directory: a node killed while writing leaves no empty or partial mail there (only a staging leftover).
    private string? _staging;
    private string? _pickup;

    public void Dispose()
    {
        _client?.Dispose();
        if (_staging is not null && Directory.Exists(_staging) && !Directory.EnumerateFileSystemEntries(_staging).Any())
        {
            Directory.Delete(_staging);
        }
    }

    /// <summary>Blocks until the server answers (see <see cref="OutboxDelivery"/> for why synchronously).</summary>
    /// <exception cref="UnsendableMessageException">The row cannot become a mail at all (retrying will not help).</exception>
    public void Send(OutboxMessage message)
    {
        // Built outside Build: a wrong Email:FromAddress is the configuration's fault, not the message's.
        MailAddress from;
        try
        {
            from = new MailAddress(options.FromAddress, options.FromName, Encoding.UTF8);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new MailConfigurationException($"Email:FromAddress '{options.FromAddress}' is not a valid address ({e.Message})", e);
        }

        using var mail = Build(message, from);
        var client = _client ??= CreateClient();
        try
        {
            client.Send(mail);
            if (_staging is not null)
            {
                Publish(message);
            }
        }
        catch
        {
            // A broken connection must not poison the next message: start afresh.
            _client?.Dispose();
            _client = null;
            throw;
        }
    }

    private static MailMessage Build(OutboxMessage message, MailAddress from)
    {
        try
        {
            return Compose(message, from);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new UnsendableMessageException(e.Message, e);
        }
    }

    private static MailMessage Compose(OutboxMessage message, MailAddress from)
    {
        var mail = new MailMessage
        {
            From = from,
            // A header is one line: a title typed with a line break (or any control character) would make the
            // subject invalid, and the mail could never be built.
            Subject = OneLine(message.Subject),
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            BodyEncoding = Encoding.UTF8,
            Body = message.Text,
            IsBodyHtml = false,
        };
        mail.To.Add(new MailAddress(message.ToAddress, OneLine(message.ToName ?? string.Empty), Encoding.UTF8));

        // The outbox row's id as Message-ID: if a node dies between the server's answer and recording it,
        // the resent copy has the same id, so mail servers and clients can drop it as a duplicate.
        mail.Headers.Add("Message-ID", MessageIdOf(message));
        var html = AlternateView.CreateAlternateViewFromString(message.Html, Encoding.UTF8, MediaTypeNames.Text.Html);
        mail.AlternateViews.Add(html);
        return mail;
    }

    internal static string OneLine(string text) =>
        string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });

    internal static string MessageIdOf(OutboxMessage message) => $"<{message.Id:N}@budgeteval>";

    internal const string StagingPrefix = ".staging-";

    /// <summary>
    /// Moves the mail just written into the pickup directory under the outbox row's id: the rename is atomic, and a
    /// message sent again after a crash replaces its own file instead of adding a second copy.
    /// </summary>
    private void Publish(OutboxMessage message)
    {
        foreach (var file in Directory.EnumerateFiles(_staging!, "*.eml"))
        {
            File.Move(file, Path.Combine(_pickup!, $"{message.Id:N}.eml"), overwrite: true);
        }
    }

    /// <summary>Staging directories of senders that died (a partial file at most) are removed after an hour.</summary>
    private static void RemoveAbandonedStaging(string pickup)
    {
        foreach (var dir in Directory.EnumerateDirectories(pickup, StagingPrefix + "*"))
        {
            try
            {
                // File times are the real clock's, not the product's TimeProvider (tests move that one).
                if (Directory.GetLastWriteTimeUtc(dir) < DateTime.UtcNow.AddHours(-1))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
            catch (IOException)
            {
                // another node removed it meanwhile
            }
        }
    }

    private SmtpClient CreateClient()
    {
        var client = new SmtpClient { Timeout = options.TimeoutSeconds * 1000 };
        if (string.Equals(options.Mode, "Pickup", StringComparison.OrdinalIgnoreCase))
        {
            _pickup = Path.GetFullPath(options.PickupDirectory, env.ContentRootPath);
            _staging = Path.Combine(_pickup, StagingPrefix + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_staging);
            RemoveAbandonedStaging(_pickup);
            client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            client.PickupDirectoryLocation = _staging;
        }
        else
        {
            // SmtpClient throws a bare ArgumentException for these; name the setting instead (start-up checks
            // Email:Host in Production, but other environments and later edits reach here too).
            if (string.IsNullOrWhiteSpace(options.Host))
            {
                client.Dispose();
                throw new MailConfigurationException("Email:Host is empty; set it to the SMTP server's host name (Email:Mode=Smtp)", null);
            }

            try
            {
                client.Host = options.Host;
                client.Port = options.Port;
            }
            catch (ArgumentException e)
            {
                client.Dispose();
                throw new MailConfigurationException($"Email:Host '{options.Host}' / Email:Port {options.Port} cannot be used ({e.Message})", e);
            }

            client.EnableSsl = options.EnableTls;
            if (!string.IsNullOrEmpty(options.UserName))
            {
                client.Credentials = new NetworkCredential(options.UserName, options.Password);
            }
        }

        return client;
    }
}

/// <summary>An outbox row that cannot be made into a mail (e.g. an invalid address): it fails at once instead of being retried.</summary>
internal sealed class UnsendableMessageException(string message, Exception inner) : Exception(message, inner);

/// <summary>The Email:* settings cannot make a mail client: the message names the setting. Counted as a failed attempt, like an outage.</summary>
internal sealed class MailConfigurationException(string message, Exception? inner) : Exception(message, inner);
