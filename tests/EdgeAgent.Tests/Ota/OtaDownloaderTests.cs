using System.Security.Cryptography;
using EdgeEmotion.EdgeAgent.Ota;

namespace EdgeEmotion.EdgeAgent.Tests.Ota;

/// <summary>The bundle download against a real HTTP server on loopback: size limit, resume with Range, sha256 check.</summary>
public sealed class OtaDownloaderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-dl-").FullName;
    // The server is on loopback: this machine's proxy settings (http_proxy) are not under test.
    private readonly HttpClient http = new(new SocketsHttpHandler { UseProxy = false });
    private readonly byte[] body = RandomNumberGenerator.GetBytes(300_000);

    private string Sha => Convert.ToHexStringLower(SHA256.HashData(body));

    public void Dispose()
    {
        http.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Downloads_and_verifies_the_sha256()
    {
        using var server = new LocalHttpServer(body);
        var path = await new OtaDownloader(http, folder, 1_000_000).DownloadAsync(server.Url, Sha, null, CancellationToken.None);
        Assert.Equal(body, await File.ReadAllBytesAsync(path));
        Assert.Equal($"{Sha}.tar", Path.GetFileName(path));
    }

    [Fact]
    public async Task Refuses_a_bundle_above_the_size_limit_and_keeps_nothing()
    {
        using var server = new LocalHttpServer(body);
        var e = await Assert.ThrowsAsync<OtaDownloadException>(() =>
            new OtaDownloader(http, folder, 100_000).DownloadAsync(server.Url, Sha, null, CancellationToken.None));
        Assert.Contains("limit", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, $"{Sha}.tar")));
    }

    [Fact]
    public async Task Refuses_a_sha256_mismatch_and_deletes_the_download()
    {
        using var server = new LocalHttpServer(body);
        var wrong = new string('0', 64);
        var e = await Assert.ThrowsAsync<OtaDownloadException>(() =>
            new OtaDownloader(http, folder, 1_000_000).DownloadAsync(server.Url, wrong, null, CancellationToken.None));
        Assert.Contains("sha256 mismatch", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Resumes_a_cut_download_with_a_range_request()
    {
        using var server = new LocalHttpServer(body) { CutAfter = 120_000 };
        var downloader = new OtaDownloader(http, folder, 1_000_000);
        await Assert.ThrowsAnyAsync<Exception>(() => downloader.DownloadAsync(server.Url, Sha, null, CancellationToken.None));
        var part = Path.Combine(folder, $"{Sha}.part");
        Assert.True(File.Exists(part));
        var kept = new FileInfo(part).Length;
        Assert.InRange(kept, 1, body.Length - 1);

        server.CutAfter = null;
        var path = await downloader.DownloadAsync(server.Url, Sha, null, CancellationToken.None);
        Assert.Equal(body, await File.ReadAllBytesAsync(path));
        Assert.Contains($"bytes={kept}-", server.RangesSeen);
    }
}
