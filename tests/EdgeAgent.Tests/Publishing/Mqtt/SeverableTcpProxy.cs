using System.Net;
using System.Net.Sockets;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

/// <summary>
/// A loopback TCP forwarder between a client and the broker that a test can cut like a pulled
/// cable: <see cref="Sever"/> resets every open connection (the broker sees no DISCONNECT, so it
/// publishes the client's last will) and refuses new ones until <see cref="Resume"/>;
/// <see cref="BlackHole"/> keeps connections open but silently drops every byte, like a dead
/// route that no socket error reports.
/// </summary>
internal sealed class SeverableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int upstreamPort;
    private readonly Lock gate = new();
    private readonly List<Socket> open = [];
    private readonly CancellationTokenSource closing = new();
    private readonly Task acceptLoop;
    private bool severed;
    private volatile bool discarding;

    public SeverableTcpProxy(int upstreamPort)
    {
        this.upstreamPort = upstreamPort;
        listener.Start();
        acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public Uri Uri => new($"mqtt://127.0.0.1:{Port}");

    /// <summary>Connections accepted and forwarded so far.</summary>
    public int Forwarded { get; private set; }

    /// <summary>Resets every forwarded connection (RST, no goodbye) and refuses new ones.</summary>
    public void Sever()
    {
        lock (gate)
        {
            severed = true;
            foreach (var socket in open)
            {
                Reset(socket);
            }

            open.Clear();
        }
    }

    /// <summary>From now on, bytes in both directions are read and dropped; connections stay open.</summary>
    public void BlackHole() => discarding = true;

    /// <summary>Forwards again (new connections, and bytes on open ones).</summary>
    public void Resume()
    {
        discarding = false;
        lock (gate)
        {
            severed = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await closing.CancelAsync();
        listener.Stop();
        Sever();
        await acceptLoop.ContinueWith(static _ => { }, TaskScheduler.Default);
        closing.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!closing.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(closing.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        bool refuse;
        lock (gate)
        {
            refuse = severed;
        }

        if (refuse)
        {
            Reset(client);
            return;
        }

        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, upstreamPort, closing.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            upstream.Dispose();
            Reset(client);
            return;
        }

        lock (gate)
        {
            if (severed)
            {
                Reset(client);
                Reset(upstream);
                return;
            }

            open.Add(client);
            open.Add(upstream);
            Forwarded++;
        }

        // Either direction ending ends both, as a plain TCP path would.
        await Task.WhenAny(PumpAsync(client, upstream), PumpAsync(upstream, client));
        lock (gate)
        {
            open.Remove(client);
            open.Remove(upstream);
        }

        client.Dispose();
        upstream.Dispose();
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    return;
                }

                if (discarding)
                {
                    continue;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The other side or Sever() closed it.
        }
    }

    // Linger 0 then close sends RST: the peer gets "connection reset", not an orderly FIN.
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
            // Already closed by its pump.
        }
    }
}
