using BudgetEval.Web.Infrastructure.Hosting;
using BudgetEval.Web.Notifications;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace BudgetEval.Tests.Notifications;

/// <summary>
/// Mail as .eml files (the local start's default): a file appears whole under the outbox row's id, and a message
/// sent again (a node died before recording the first send) replaces its own file instead of adding a copy.
/// </summary>
public sealed class PickupMailTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "budgeteval-pickup-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Given_pickup_mode_When_a_message_is_sent_twice_Then_one_whole_file_named_by_its_id_is_in_the_folder_and_no_staging_is_left()
    {
        var message = new OutboxMessage
        {
            Id = Guid.NewGuid(),
            ToAddress = "zhang@example.cn",
            ToName = "张晓燕",
            Event = "TaskAssigned",
            Subject = "待办：2025年度部门整体支出绩效自评（单位审核）",
            Html = "<p>您有一项待办。</p>",
            Text = "您有一项待办。",
        };
        using (var sender = new MailSender(new EmailOptions { Mode = "Pickup", PickupDirectory = _dir, FromAddress = "noreply@example.cn" }, new Env()))
        {
            sender.Send(message);
            sender.Send(message);
        }

        var file = Assert.Single(Directory.GetFiles(_dir, "*.eml"));
        Assert.Equal($"{message.Id:N}.eml", Path.GetFileName(file));
        Assert.Contains($"Message-ID: <{message.Id:N}@budgeteval>", File.ReadAllText(file), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.GetDirectories(_dir)); // the sender's staging directory is gone once it is done
    }

    private sealed class Env : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "BudgetEval";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
