using EdgeEmotion.Sensors.Synthetic;

namespace EdgeEmotion.Sensors.Tests.Synthetic;

public sealed class DropoutScriptTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Parses_the_compact_form()
    {
        var script = DropoutScript.Parse(" visual:missing@10-15, audio:silence@20-25 ,eda:electrode-off@30-32.5,video:FROZEN@1-2");

        Assert.Equal(
            [
                new Dropout(SensorModality.Visual, S(1), S(2), DropoutKind.Frozen),
                new Dropout(SensorModality.Visual, S(10), S(15), DropoutKind.Missing),
                new Dropout(SensorModality.Audio, S(20), S(25), DropoutKind.Silence),
                new Dropout(SensorModality.Eda, S(30), S(32.5), DropoutKind.ElectrodeOff),
            ],
            script.Dropouts);
    }

    [Fact]
    public void Round_trips_through_its_string_form()
    {
        const string text = "visual:frozen@1-2,visual:missing@10-15.25,audio:clipped@3-4,eda:saturated@0.5-0.75";

        var script = DropoutScript.Parse(text);

        Assert.Equal(text, script.ToString());
        Assert.Equal(script.Dropouts, DropoutScript.Parse(script.ToString()).Dropouts);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Nothing_means_no_dropouts(string? text) => Assert.Empty(DropoutScript.Parse(text).Dropouts);

    [Fact]
    public void Intervals_include_the_start_and_exclude_the_end()
    {
        var script = DropoutScript.Parse("audio:silence@2-3,audio:clipped@3-4");

        Assert.Null(script.KindAt(SensorModality.Audio, S(1.999)));
        Assert.Equal(DropoutKind.Silence, script.KindAt(SensorModality.Audio, S(2)));
        Assert.Equal(DropoutKind.Clipped, script.KindAt(SensorModality.Audio, S(3)));
        Assert.Null(script.KindAt(SensorModality.Audio, S(4)));
        Assert.Null(script.KindAt(SensorModality.Visual, S(2.5)));
    }

    [Fact]
    public void Next_change_is_the_next_edge_of_that_modality()
    {
        var script = DropoutScript.Parse("audio:silence@2-3,visual:missing@1-5,audio:clipped@6-7");

        Assert.Equal(S(2), script.NextChangeAfter(SensorModality.Audio, S(0)));
        Assert.Equal(S(3), script.NextChangeAfter(SensorModality.Audio, S(2)));
        Assert.Equal(S(6), script.NextChangeAfter(SensorModality.Audio, S(3)));
        Assert.Null(script.NextChangeAfter(SensorModality.Audio, S(7)));
        Assert.Null(script.NextChangeAfter(SensorModality.Eda, S(0)));
    }

    [Theory]
    [InlineData("visual:missing", "entry 1 'visual:missing': expected modality:kind@start-end")]
    [InlineData("visual@1-2", "expected modality:kind@start-end")]
    [InlineData("visual:missing@1-2,", "entry 2 is empty")]
    [InlineData("camera:missing@1-2", "unknown modality 'camera'; expected visual, audio or eda")]
    [InlineData("audio:frozen@1-2", "audio takes missing, silence or clipped, not 'frozen'")]
    [InlineData("eda:unplugged@1-2", "eda takes missing, electrode-off or saturated, not 'unplugged'")]
    [InlineData("visual:missing@1", "the interval '1' must be start-end in seconds")]
    [InlineData("visual:missing@a-2", "start 'a' is not a number of seconds")]
    [InlineData("visual:missing@1-2x", "end '2x' is not a number of seconds")]
    [InlineData("visual:missing@-1-2", "must be start-end")]
    [InlineData("visual:missing@5-5", "end 5 s must be after start 5 s")]
    [InlineData("visual:missing@1-5,audio:silence@1-5,visual:frozen@4-6", "entry 3 'visual:frozen@4-6' overlaps 'visual:missing@1-5'")]
    public void Malformed_text_gets_a_specific_message(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => DropoutScript.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_constructor_checks_what_parse_checks()
    {
        Assert.Throws<ArgumentException>(() => new DropoutScript([new Dropout(SensorModality.Eda, S(1), S(2), DropoutKind.Frozen)]));
        Assert.Throws<ArgumentException>(() => new DropoutScript([new Dropout(SensorModality.Eda, S(2), S(1), DropoutKind.Missing)]));
        Assert.Throws<ArgumentException>(() => new DropoutScript(
        [
            new Dropout(SensorModality.Audio, S(1), S(3), DropoutKind.Silence),
            new Dropout(SensorModality.Audio, S(2), S(4), DropoutKind.Clipped),
        ]));
    }
}
