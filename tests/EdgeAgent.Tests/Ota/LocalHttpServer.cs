using System.Net;
using System.Net.Sockets;

namespace EdgeEmotion.EdgeAgent.Tests.Ota;

/// <summary>
/// An HttpListener on a free loopback port serving one body at /bundle.tar, honouring
/// <c>Range: bytes=N-</c> with 206; <see cref="CutAfter"/> makes a full response stop early
/// (a dropped connection), to test resume; <see cref="RedirectTo"/> and <see cref="Chunked"/> shape the answer.
/// </summary>
internal sealed class LocalHttpServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task serving;
    private readonly byte[] body;

    public LocalHttpServer(byte[] body)
    {
        this.body = body;
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            listener.Prefixes.Clear();
            listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/bundle.tar");

    /// <summary>When set, a response without Range sends only this many bytes, then drops the connection.</summary>
    public int? CutAfter { get; set; }

    public List<string?> RangesSeen { get; } = [];

    /// <summary>When set, every request is answered 302 with this Location.</summary>
    public string? RedirectTo { get; set; }

    /// <summary>When set, each answer waits for this task first (a download held open).</summary>
    public Task? Hold { get; set; }

    /// <summary>When true, the body goes out chunked, without a Content-Length (the size is known only at its end).</summary>
    public bool Chunked { get; set; }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                var range = context.Request.Headers["Range"];
                lock (RangesSeen)
                {
                    RangesSeen.Add(range);
                }

                if (Hold is { } hold)
                {
                    await hold;
                }

                if (RedirectTo is { } location)
                {
                    context.Response.StatusCode = 302;
                    context.Response.RedirectLocation = location;
                    context.Response.Close();
                    continue;
                }

                var from = 0;
                if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal))
                {
                    from = int.Parse(range[6..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
                    context.Response.StatusCode = 206;
                    context.Response.Headers["Content-Range"] = $"bytes {from}-{body.Length - 1}/{body.Length}";
                }

                var length = body.Length - from;
                if (Chunked)
                {
                    context.Response.SendChunked = true;
                }
                else
                {
                    context.Response.ContentLength64 = length;
                }

                if (range is null && CutAfter is { } cut)
                {
                    await context.Response.OutputStream.WriteAsync(body.AsMemory(0, cut));
                    await context.Response.OutputStream.FlushAsync();
                    context.Response.Abort();
                    continue;
                }

                await context.Response.OutputStream.WriteAsync(body.AsMemory(from, length));
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    public void Dispose()
    {
        // Close alone: Stop first releases the port, and Close then looks the endpoint up again,
        // binding the port anew ("Address already in use" when another test has taken it since).
        try
        {
            listener.Close();
        }
        catch (HttpListenerException)
        {
            // Closing is best effort; the port was ours only while the test ran.
        }

        serving.Wait(TimeSpan.FromSeconds(5));
    }
}
