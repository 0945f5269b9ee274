using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Notifications;

internal sealed record DeliveryResult(int Sent, int Retrying, int Failed);

/// <summary>
/// Delivers pending outbox rows. Each row is claimed with FOR UPDATE SKIP LOCKED inside its own transaction
/// and marked sent (or rescheduled) before that transaction commits, so two workers or two nodes never send
/// one row twice; if the process dies between the SMTP answer and the commit the row is sent again once
/// (at-least-once is the most SMTP allows). Failures back off exponentially with jitter; after the last
/// attempt the row is failed and waits for an administrator's retry.
/// </summary>
/// <remarks>
/// Each worker runs on its own thread and sends synchronously. System.Net.Mail blocks a thread per send even
/// through SendMailAsync, and every SMTP exchange waits ~40 ms on the wire (it writes the message end in a
/// small segment the server acknowledges late), so delivery is latency-bound: throughput comes from many
/// connections, and with them sharing the thread pool the pool starved (76 mails/s with 4 workers,
/// ~66/s however many). Dedicated threads keep the pool free for requests and scale with the workers.
/// </remarks>
/// <remarks>
/// Shutdown: Quartz waits for a running job but never cancels its token, so delivery also watches the host's
/// ApplicationStopping. On a stop each worker finishes the message in hand (sent and recorded as Sent) and
/// takes no other; the host's ShutdownTimeout (JobsSetup) leaves room for one SMTP exchange. Were the loop to
/// go on, the host would give up on it and exit with sends in flight that were never recorded, and the next
/// node would send them again.
/// </remarks>
internal sealed class OutboxDelivery(IServiceScopeFactory scopes, IOptions<EmailOptions> options, IHostEnvironment env, TimeProvider clock, ILogger<OutboxDelivery> logger, IHostApplicationLifetime lifetime)
{
    private readonly EmailOptions _options = options.Value;

    /// <summary>Delivery with other settings (tests point it at a closed port, then at maildev).</summary>
    public OutboxDelivery With(EmailOptions other) => new(scopes, Options.Create(other), env, clock, logger, lifetime);

    public async Task<DeliveryResult> RunAsync(CancellationToken jobToken, int? maxMessages = null)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(jobToken, lifetime.ApplicationStopping);
        var ct = stopping.Token;
        var budget = maxMessages ?? int.MaxValue;
        var workers = Enumerable.Range(0, Math.Max(1, _options.DeliveryWorkers)).Select(_ => Task.Factory.StartNew(() =>
        {
            using var sender = new MailSender(_options, env);
            return Work(sender, () => Interlocked.Decrement(ref budget) >= 0, ct);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToList(); // each worker checks ct itself
        var results = await Task.WhenAll(workers);
        var total = new DeliveryResult(results.Sum(r => r.Sent), results.Sum(r => r.Retrying), results.Sum(r => r.Failed));
        if (total.Sent + total.Retrying + total.Failed > 0)
        {
            logger.LogInformation("Outbox: {Sent} sent, {Retrying} to retry, {Failed} failed", total.Sent, total.Retrying, total.Failed);
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            logger.LogInformation("Outbox: delivery stopped for shutdown; the messages in hand were finished and recorded");
        }

        return total;
    }

    private DeliveryResult Work(MailSender sender, Func<bool> mayTake, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        int sent = 0, retrying = 0, failed = 0;
        var strategy = db.Database.CreateExecutionStrategy();
        while (!ct.IsCancellationRequested && mayTake())
        {
            var outcome = strategy.Execute(() => DeliverOne(db, sender));
            if (outcome is null)
            {
                break;
            }

            sent += outcome == OutboxStatus.Sent ? 1 : 0;
            failed += outcome == OutboxStatus.Failed ? 1 : 0;
            retrying += outcome == OutboxStatus.Pending ? 1 : 0;
        }

        return new DeliveryResult(sent, retrying, failed);
    }

    /// <summary>Claims, sends and records one message in one transaction; null when nothing is due.</summary>
    private OutboxStatus? DeliverOne(AppDbContext db, MailSender sender)
    {
        db.ChangeTracker.Clear();
        using var tx = db.Database.BeginTransaction();
        var now = clock.GetUtcNow();
        var message = db.Outbox.FromSql($"""
            SELECT * FROM budgeteval.outbox
            WHERE "Status" = 'Pending' AND "NextAttemptAt" <= {now}
            ORDER BY "NextAttemptAt" LIMIT 1
            FOR UPDATE SKIP LOCKED
            """).AsEnumerable().SingleOrDefault();
        if (message is null)
        {
            return null;
        }

        message.Attempts++;
        try
        {
            sender.Send(message);
            message.Status = OutboxStatus.Sent;
            message.SentAt = clock.GetUtcNow();
            message.LastError = null;
        }
        catch (UnsendableMessageException e)
        {
            // Nothing about the server will change this row: fail it now, so it neither blocks a worker nor hides others.
            message.LastError = Describe(e);
            message.Status = OutboxStatus.Failed;
            logger.LogWarning("Outbox message {Id} to {To} cannot be sent: {Error}", message.Id, message.ToAddress, message.LastError);
        }
        catch (Exception e) when (e is MailConfigurationException or System.Net.Mail.SmtpException or IOException or InvalidOperationException
            or System.Net.Sockets.SocketException or FormatException or ArgumentException)
        {
            // An attempt that failed is counted and its reason logged every time, so a wrong setting or an outage
            // shows in the log at once instead of as "0 sent, 1 to retry".
            message.LastError = Describe(e);
            if (message.Attempts >= _options.MaxAttempts)
            {
                message.Status = OutboxStatus.Failed;
                logger.LogWarning("Outbox message {Id} to {To} failed after {Attempts} attempts: {Error}", message.Id, message.ToAddress, message.Attempts, message.LastError);
            }
            else
            {
                message.NextAttemptAt = now + Backoff(message.Attempts);
                logger.LogWarning("Outbox message {Id} to {To}: attempt {Attempt} of {MaxAttempts} failed, next at {NextAttemptAt:u}: {Error}",
                    message.Id, message.ToAddress, message.Attempts, _options.MaxAttempts, message.NextAttemptAt, message.LastError);
            }
        }

        db.SaveChanges();
        tx.Commit();
        return message.Status;
    }

    /// <summary>base × 2^(attempt−1), plus up to 50% jitter so a recovering server is not hit by every node at once.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var seconds = _options.RetryBaseSeconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        seconds *= 1 + (Random.Shared.NextDouble() * 0.5);
        return TimeSpan.FromSeconds(Math.Min(seconds, 3600));
    }

    private static string Describe(Exception e)
    {
        var text = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
        return text.Length > 2000 ? text[..2000] : text;
    }
}
