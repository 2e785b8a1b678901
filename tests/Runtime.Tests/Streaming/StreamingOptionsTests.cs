using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Streaming;

public sealed class StreamingOptionsTests
{
    private static readonly PackManifest Affect = ModelPackLoader.Load(TestPaths.Pack("affect-tiny")).Manifest;

    [Theory]
    [InlineData(32)]
    [InlineData(16)]
    [InlineData(8)]
    [InlineData(1)]
    public void Hops_that_divide_the_clip_spacing_are_accepted(int hop) =>
        new StreamingOptions { Hop = hop }.Validate(Affect);

    [Fact]
    public void A_hop_that_does_not_divide_the_clip_spacing_is_refused_with_the_choices()
    {
        var e = Assert.Throws<ArgumentException>(() => new StreamingOptions { Hop = 12 }.Validate(Affect));

        Assert.Contains("must divide the pack's clip spacing of 32 frames", e.Message, StringComparison.Ordinal);
        Assert.Contains("1, 2, 4, 8, 16, 32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_for_a_modality_the_pack_lacks_are_refused()
    {
        var options = new StreamingOptions { Modalities = { ["eda"] = new ModalityOptions() } };

        var e = Assert.Throws<ArgumentException>(() => options.Validate(Affect));

        Assert.Contains("has no such modality (visual, audio)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fractions_outside_0_to_1_are_refused() =>
        Assert.Throws<ArgumentException>(() => new StreamingOptions { MinFaceFraction = 1.5 }.Validate(Affect));
}
