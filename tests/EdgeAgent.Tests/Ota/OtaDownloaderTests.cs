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

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://127.0.0.1/bundle.tar")]
    [InlineData("gopher://127.0.0.1/")]
    public async Task A_redirect_to_anything_but_http_or_https_is_refused_by_name(string location)
    {
        using var server = new LocalHttpServer(body) { RedirectTo = location };
        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });

        var e = await Assert.ThrowsAsync<OtaDownloadException>(() =>
            new OtaDownloader(plain, folder, 1_000_000).DownloadAsync(server.Url, Sha, null, CancellationToken.None));

        Assert.Contains("redirect to", e.Message, StringComparison.Ordinal);
        Assert.Contains("only http and https", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task A_client_that_follows_redirects_itself_still_gets_a_download_error()
    {
        using var server = new LocalHttpServer(body) { RedirectTo = "file:///etc/passwd" };

        var e = await Assert.ThrowsAsync<OtaDownloadException>(() =>
            new OtaDownloader(http, folder, 1_000_000).DownloadAsync(server.Url, Sha, null, CancellationToken.None));

        Assert.StartsWith("GET http://127.0.0.1:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_to_http_is_followed()
    {
        using var target = new LocalHttpServer(body);
        using var server = new LocalHttpServer([]) { RedirectTo = target.Url.ToString() };
        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });

        var path = await new OtaDownloader(plain, folder, 1_000_000).DownloadAsync(server.Url, Sha, null, CancellationToken.None);

        Assert.Equal(body, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Oversized_downloads_without_a_length_leave_no_part_files_behind()
    {
        const long limit = 100_000;
        var downloader = new OtaDownloader(http, folder, limit);
        for (var i = 0; i < 4; i++)
        {
            var other = RandomNumberGenerator.GetBytes(300_000);
            using var server = new LocalHttpServer(other) { Chunked = true };
            var e = await Assert.ThrowsAsync<OtaDownloadException>(() =>
                downloader.DownloadAsync(server.Url, Convert.ToHexStringLower(SHA256.HashData(other)), null, CancellationToken.None));
            Assert.Contains("exceeds the limit", e.Message, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task A_new_download_removes_what_an_earlier_request_left()
    {
        using (var cut = new LocalHttpServer(RandomNumberGenerator.GetBytes(300_000)) { CutAfter = 120_000 })
        {
            await Assert.ThrowsAnyAsync<Exception>(() =>
                new OtaDownloader(http, folder, 1_000_000).DownloadAsync(cut.Url, new string('a', 64), null, CancellationToken.None));
        }

        Assert.Single(Directory.GetFiles(folder));
        using var server = new LocalHttpServer(body);
        var path = await new OtaDownloader(http, folder, 1_000_000).DownloadAsync(server.Url, Sha, null, CancellationToken.None);

        Assert.Equal([path], Directory.GetFiles(folder));
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
