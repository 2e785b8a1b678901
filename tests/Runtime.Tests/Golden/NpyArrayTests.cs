using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Golden;

public sealed class NpyArrayTests
{
    [Fact]
    public void Round_trips_through_the_npy_format()
    {
        var path = Path.GetTempFileName();
        try
        {
            var array = new NpyArray([1.5f, -2f, 3.25f, 0f, 7f, -0.125f], [2, 3]);
            array.Write(path);

            var read = NpyArray.Read(path);

            Assert.Equal([2L, 3L], read.Shape);
            Assert.Equal(array.Data, read.Data);
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(0, (bytes.Length - (6 * 4)) % 64); // header padded to 64 bytes, as numpy does
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Reads_the_packs_golden_files()
    {
        var file = Directory.EnumerateFiles(Path.Combine(EdgeEmotion.Tests.TestPaths.Pack("affect-tiny"), "golden"), "*.npy").First();

        var array = NpyArray.Read(file);

        Assert.Equal(array.Shape.Aggregate(1L, (a, d) => a * d), array.Data.Length);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "bad magic")]
    [InlineData(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 200, 0 }, "truncated")]
    public void Rejects_files_that_are_not_npy(byte[] bytes, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => NpyArray.Parse(bytes));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_data_shorter_than_the_shape()
    {
        var path = Path.GetTempFileName();
        try
        {
            new NpyArray([1f, 2f, 3f, 4f], [4]).Write(path);
            var bytes = File.ReadAllBytes(path);

            var e = Assert.Throws<InvalidDataException>(() => NpyArray.Parse(bytes.AsSpan(0, bytes.Length - 4)));

            Assert.Contains("shape [4] needs 16", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Rejects_other_element_types()
    {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }".PadRight(117) + "\n";
        var bytes = new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 }
            .Concat(System.Text.Encoding.Latin1.GetBytes(header)).Concat(new byte[8]).ToArray();

        var e = Assert.Throws<InvalidDataException>(() => NpyArray.Parse(bytes));

        Assert.Contains("float32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_uint8_images_as_floats_of_the_same_values()
    {
        var header = "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 2, 3), }".PadRight(117) + "\n";
        var bytes = new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 }
            .Concat(System.Text.Encoding.Latin1.GetBytes(header)).Concat(new byte[] { 0, 1, 127, 128, 254, 255 }).ToArray();

        var array = NpyArray.Parse(bytes);

        Assert.Equal([1L, 2L, 3L], array.Shape);
        Assert.Equal([0f, 1f, 127f, 128f, 254f, 255f], array.Data);
    }

    [Fact]
    public void Reads_the_committed_face_frames()
    {
        var frame = NpyArray.Read(Path.Combine(TestPaths.FaceModels, "golden", "frames", "face_000.npy"));

        Assert.Equal([240L, 320L, 3L], frame.Shape);
        Assert.InRange(frame.Data.Max(), 200f, 255f);
    }
}
