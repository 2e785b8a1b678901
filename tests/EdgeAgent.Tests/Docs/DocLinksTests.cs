using System.Text.RegularExpressions;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Docs;

/// <summary>The README and the docs point only at files of the repository, and those files exist.</summary>
public sealed partial class DocLinksTests
{
    public static TheoryData<string> Pages()
    {
        var root = TestPaths.RepoRoot;
        var pages = new TheoryData<string>();
        foreach (var page in new[] { Path.Combine(root, "README.md") }
                     .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories))
                     .Concat(Directory.EnumerateFiles(Path.Combine(root, "deploy"), "*.md", SearchOption.AllDirectories)))
        {
            pages.Add(Path.GetRelativePath(root, page));
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_link_stays_in_the_repository_and_exists(string page)
    {
        var root = TestPaths.RepoRoot;
        var path = Path.Combine(root, page);
        var text = File.ReadAllText(path);

        Assert.DoesNotMatch(OutsideMention(), text);
        foreach (Match link in Link().Matches(text))
        {
            var target = link.Groups["target"].Value.Split('#')[0];
            if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, target));
            Assert.True(resolved.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal), $"{page}: '{target}' points outside the repository");
            Assert.True(File.Exists(resolved) || Directory.Exists(resolved), $"{page}: '{target}' does not exist");
        }
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    // Paths that leave the checkout, as text (`../shared/DESIGN.md`): a reader of the repository has no such folder.
    [GeneratedRegex(@"`\.\./[^`]*`|\.\./shared/")]
    private static partial Regex OutsideMention();
}
