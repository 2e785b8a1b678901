using System.Text;
using EdgeEmotion.EdgeAgent.Ota;

namespace EdgeEmotion.EdgeAgent.Tests.Ota;

/// <summary>Whatever an ota/request payload holds, it is named by a printable id of bounded length and either served or refused with a reason.</summary>
public sealed class OtaRequestReadTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("42")]
    [InlineData("[]")]
    [InlineData("\"x\"")]
    [InlineData("{\"requestId\": 5}")]
    [InlineData("{")]
    public void A_payload_that_is_not_a_request_object_is_refused_as_unknown(string payload)
    {
        var read = OtaRequestRead.From(Encoding.UTF8.GetBytes(payload));

        Assert.Null(read.Work);
        Assert.Equal("unknown", read.Id);
        Assert.StartsWith("request is not a JSON object", read.Refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://host/b.tar")]
    [InlineData("b.tar")]
    public void A_url_that_is_not_absolute_http_is_refused(string url)
    {
        var read = Read($"{{\"requestId\":\"r\",\"url\":\"{url}\",\"sha256\":\"{Sha}\",\"version\":\"1.0.1\"}}");

        Assert.Null(read.Work);
        Assert.Contains("absolute http/https", read.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_request_id_is_refused_under_its_first_128_characters()
    {
        var read = Read($"{{\"requestId\":\"{new string('x', 5000)}\",\"url\":\"http://h/b\",\"sha256\":\"{Sha}\",\"version\":\"1.0.1\"}}");

        Assert.Null(read.Work);
        Assert.Equal(new string('x', 128) + "...", read.Id);
        Assert.Equal("requestId is 5000 characters; at most 128", read.Refusal);
    }

    [Fact]
    public void Control_characters_in_the_id_and_version_are_escaped()
    {
        var read = Read($"{{\"requestId\":\"a\\nb\\u001b[2J\\u202e\",\"url\":\"http://h/b\",\"sha256\":\"{Sha}\",\"version\":\"1.0.1\\r\"}}");

        Assert.Equal(@"a\u000ab\u001b[2J\u202e", read.Id);
        Assert.Equal(@"1.0.1\u000d", read.Version);
        Assert.Equal(read.Id, read.Work?.Id);
    }

    [Fact]
    public void A_payload_above_16_KiB_is_refused_unread()
    {
        var read = OtaRequestRead.From(new byte[OtaRequestRead.MaxPayloadBytes + 1]);

        Assert.Null(read.Work);
        Assert.Equal("unknown", read.Id);
        Assert.Contains("at most 16384", read.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_payload_the_receiver_did_not_keep_is_refused_by_the_size_that_arrived()
    {
        // The publisher keeps no payload over 16 KiB, only its size (a flood of large requests
        // must not hold memory while a download runs).
        var read = OtaRequestRead.From([], receivedBytes: 50_000_000);

        Assert.Null(read.Work);
        Assert.Equal("request is 50000000 bytes; at most 16384", read.Refusal);
    }

    [Fact]
    public void A_good_request_is_served_with_its_sha256_in_lower_case()
    {
        var read = Read($"{{\"url\":\"https://fleet.example/b.tar\",\"sha256\":\"{Sha.ToUpperInvariant()}\",\"version\":\"1.0.1\"}}");

        Assert.Null(read.Refusal);
        Assert.Equal(new OtaWork("1.0.1", new Uri("https://fleet.example/b.tar"), Sha, "1.0.1"), read.Work);
    }

    private static OtaRequestRead Read(string json) => OtaRequestRead.From(Encoding.UTF8.GetBytes(json));
}
