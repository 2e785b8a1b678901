using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// The options of every verb that scores recorded media through the streaming pipeline
/// (<c>replay</c>, <c>evaluate</c>): the pack, the files, how missing modalities are handled and
/// the inference settings, checked before any work into a <see cref="ReplaySetup"/>.
/// </summary>
internal sealed class ReplayInputs
{
    private readonly Option<string> pack = new("--pack") { Description = "The model pack folder", Required = true };
    private readonly Option<string?> video;
    private readonly Option<string?> audio = new("--audio") { Description = "WAV file (PCM 8-32 bit or float, any rate and channel count)" };
    private readonly Option<string?> eda = new("--eda") { Description = "EDA CSV: header time,microsiemens; time in seconds" };
    private readonly Option<int?> hop = new("--hop") { Description = "Frames between outputs (must divide the pack's clip spacing; default: the spacing)" };
    private readonly Option<string> policy = new("--missing")
    {
        Description = "What stands in for a missing modality: hold (last good clip, up to --max-hold, then substitute) or substitute",
        DefaultValueFactory = _ => "hold",
    };

    private readonly Option<double> maxHold = SecondsOption.Create("--max-hold", "Seconds a last good clip may stand in", defaultValue: 3.0, max: TimeSpan.FromDays(1).TotalSeconds);
    private readonly InferenceArguments inference = new();
    private readonly bool videoRequired;

    public ReplayInputs(bool videoRequired = false)
    {
        this.videoRequired = videoRequired;
        video = new Option<string?>("--video") { Description = "Video file (any format FFmpeg reads)", Required = videoRequired };
        policy.AcceptOnlyFromAmong("hold", "substitute");
    }

    public InferenceArguments Inference => inference;

    public void AddTo(Command command)
    {
        command.Add(pack);
        command.Add(video);
        command.Add(audio);
        command.Add(eda);
        command.Add(hop);
        command.Add(policy);
        command.Add(maxHold);
        inference.AddTo(command);
        inference.AddFaceModelsTo(command);
    }

    /// <summary>Checks the files exist and builds the settings; prints the problem (for exit 2) and returns false when not.</summary>
    public bool TryBuild(ParseResult result, bool smooth, [NotNullWhen(true)] out ReplaySetup? setup)
    {
        setup = null;
        var error = result.InvocationConfiguration.Error;
        var files = new Dictionary<string, string?>
        {
            [ModalityKinds.Video] = result.GetValue(video),
            [ModalityKinds.Audio] = result.GetValue(audio),
            [ModalityKinds.Eda] = result.GetValue(eda),
        };
        if (files.Values.All(f => f is null))
        {
            error.WriteLine(videoRequired ? "error: give --video" : "error: give at least one of --video, --audio, --eda");
            return false;
        }

        foreach (var (kind, file) in files)
        {
            if (file is not null && !InputFile.Check($"--{kind}", file, error))
            {
                return false;
            }
        }

        if (!inference.TryBuild(result, out var inferenceOptions))
        {
            return false;
        }

        var streaming = new StreamingOptions
        {
            Hop = result.GetValue(hop),
            Smooth = smooth,
            Defaults = new ModalityOptions
            {
                Policy = result.GetValue(policy) == "substitute" ? MissingPolicy.Substitute : MissingPolicy.Hold,
                MaxHold = TimeSpan.FromSeconds(result.GetValue(maxHold)),
            },
        };
        if (!inference.TryBuildFaceModels(result, out var faceModels))
        {
            return false;
        }

        setup = new ReplaySetup(result.GetValue(pack)!, files, inferenceOptions, streaming, faceModels);
        return true;
    }
}

/// <summary>What a replay scores, checked: the pack folder, the file per modality kind (null when not given), the settings and the face models folder.</summary>
internal sealed record ReplaySetup(string Pack, IReadOnlyDictionary<string, string?> Files, InferenceOptions Inference, StreamingOptions Streaming, string FaceModels);
