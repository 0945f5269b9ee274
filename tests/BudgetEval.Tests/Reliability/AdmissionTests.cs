using System.Net;
using System.Text;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Reliability;

/// <summary>
/// Admission control on the real Kestrel server (docs/decisions/0017-request-admission.md): with one request
/// allowed at a time, a request held in progress (its body still arriving) makes the next one wait its turn;
/// a request that waits too long gets 503 with a Chinese message (page and API), health probes never wait, and
/// the waiting request is served as soon as the slot is free.
/// </summary>
public sealed class AdmissionTests
{
    [Fact]
    public async Task Given_one_slot_taken_When_more_requests_arrive_Then_they_wait_their_turn_and_past_the_timeout_are_refused_in_chinese()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = database.ConnectionString,
            ["Demo__Seed"] = "true",
            ["Node__Jobs"] = "false",
            ["Admission__MaxConcurrentRequests"] = "1",
            // Long enough that the waiting request outlasts the held sign-in's password check on a loaded CI machine
            // (with 2 s it timed out there once); each refusal below waits this long too.
            ["Admission__QueueTimeoutSeconds"] = "6",
        });
        using var client = node.Client();

        // The sign-in API reads its JSON body: while the body is incomplete the request keeps the only slot.
        var body = new HeldContent("{\"userName\":\"unit\",");
        var holder = client.PostAsync("/api/auth/login", body);
        await body.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromMilliseconds(300)); // the server has admitted the request and is reading

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);

        var api = await client.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Contains("服务器繁忙", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(api.Headers.RetryAfter is not null, "503 without Retry-After");

        var page = await client.GetAsync("/login");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("服务器繁忙，请稍后重试", html, StringComparison.Ordinal);
        Assert.DoesNotContain("数据库暂时不可用", html, StringComparison.Ordinal);
        Assert.True(page.Headers.RetryAfter is not null, "the busy page without Retry-After");

        // A request that arrives now waits; once the holder finishes within its wait, it is served.
        var waiting = client.GetAsync("/login");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(waiting.IsCompleted, "the second request was served while the only slot was taken");
        body.Release("\"password\":\"" + AppFixture.DemoPassword + "\"}");
        Assert.Equal(HttpStatusCode.OK, (await holder).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await waiting).StatusCode);
        Assert.DoesNotContain("Unhandled", node.Output, StringComparison.Ordinal);
    }

    /// <summary>A JSON body sent in two parts: the first at once, the rest when the test says so (whitespace in between).</summary>
    private sealed class HeldContent : HttpContent
    {
        private readonly string _first;
        private readonly TaskCompletionSource<string> _rest = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldContent(string first)
        {
            _first = first;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release(string rest) => _rest.SetResult(rest);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(_first));
            await stream.FlushAsync();
            Started.SetResult();

            // JSON whitespace while held, faster than Kestrel's minimum body data rate (240 bytes/s after 5 s): a
            // body that stalls longer is aborted by the server, which would free the slot early.
            var padding = Encoding.UTF8.GetBytes(new string(' ', 64));
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!_rest.Task.IsCompleted && DateTime.UtcNow < deadline)
            {
                await stream.WriteAsync(padding);
                await stream.FlushAsync();
                await Task.WhenAny(_rest.Task, Task.Delay(TimeSpan.FromMilliseconds(100)));
            }

            await stream.WriteAsync(Encoding.UTF8.GetBytes(await _rest.Task.WaitAsync(TimeSpan.FromSeconds(1))));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false; // chunked: the server cannot know the body is incomplete until it ends
        }
    }
}
