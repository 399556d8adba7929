using LxcSnap.Core.Comparison;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Unit;

/// <summary>
/// How diff reads a root filesystem without mounting it, on trees made by hand: an overlay's
/// delta with the marks overlayfs leaves (a whiteout, an opaque directory, a redirect) is
/// classified path by path as the kernel would show it, and the delta comparison agrees with the
/// walk of both merged views; a directory swapped for a symlink mid-way is never followed.
/// </summary>
[Trait("Category", "Unit")]
public sealed class LayeredTreeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lxcsnap-overlay-").FullName;

    [Fact]
    public void Whiteouts_opaque_directories_and_redirects_are_read_as_overlayfs_reads_them()
    {
        Shell.Check("sh", "-euc", """
            cd "$1"
            mkdir -p lower/a lower/b lower/d/deep lower/e before after/a after/b after/c after/d/deep after/e2
            echo 1 > lower/a/file1; echo 2 > lower/a/file2; echo x > lower/b/x; echo c > lower/c
            echo y > lower/d/deep/y; echo z > lower/e/z
            mknod after/a/file1 c 0 0
            setfattr -n trusted.overlay.opaque -v y after/b; echo new > after/b/new
            echo inside > after/c/inside
            echo changed > after/d/deep/y
            mknod after/e c 0 0; setfattr -n trusted.overlay.redirect -v e after/e2
            setfattr -n trusted.overlay.origin -v whatever after/a
            """, "sh", _root);
        var before = LayeredTree.OfOverlay(Path.Combine(_root, "before"), [Path.Combine(_root, "lower")]);
        var after = LayeredTree.OfOverlay(Path.Combine(_root, "after"), [Path.Combine(_root, "lower")]);

        var byDeltas = TreeComparer.Compare(before, after);

        Assert.Equal(
        [
            new("a/file1", ChangeKind.Deleted),
            new("b/new", ChangeKind.Added),
            new("b/x", ChangeKind.Deleted),
            new("c", ChangeKind.TypeChanged),
            new("c/inside", ChangeKind.Added),
            new("d/deep/y", ChangeKind.Modified),
            new("e", ChangeKind.Deleted),
            new("e/z", ChangeKind.Deleted),
            new("e2", ChangeKind.Added),
            new("e2/z", ChangeKind.Added),
        ], byDeltas);
        Assert.Equal(byDeltas, TreeComparer.Compare(before, after, useSharedLayers: false));
        Assert.Equal([new TreeChange("a/file1", ChangeKind.Added)], TreeComparer.Compare(after, before).Where(c => c.Path.StartsWith("a/", StringComparison.Ordinal)));
    }

    [Fact]
    public void In_a_dir_root_filesystem_overlay_marks_are_entries_and_attributes_like_any_other()
    {
        Shell.Check("sh", "-euc", """
            cd "$1"
            mkdir -p one/srv two/srv
            mknod two/srv/whiteout-lookalike c 0 0
            setfattr -n trusted.overlay.opaque -v y two/srv
            """, "sh", _root);

        var changes = TreeComparer.Compare(LayeredTree.OfDirectory(Path.Combine(_root, "one")), LayeredTree.OfDirectory(Path.Combine(_root, "two")));

        Assert.Equal(
        [
            new("srv", ChangeKind.MetadataChanged, MetadataDifference.ExtendedAttributes),
            new("srv/whiteout-lookalike", ChangeKind.Added),
        ], changes);
    }

    [Fact]
    public void A_directory_swapped_for_a_symlink_after_it_was_listed_is_read_as_gone_and_never_followed()
    {
        Shell.Check("sh", "-euc", "cd \"$1\"; mkdir -p tree/srv/inner outside/inner; echo host > outside/inner/secret", "sh", _root);
        var tree = LayeredTree.OfDirectory(Path.Combine(_root, "tree"));
        var srv = tree.List(tree.Root).Single();
        var inner = tree.Enter(tree.Root, srv);
        var innerEntry = tree.List(inner).Single();

        // As a running container could, between the listing of srv and the reading of srv/inner.
        Directory.Delete(Path.Combine(_root, "tree", "srv"), recursive: true);
        File.CreateSymbolicLink(Path.Combine(_root, "tree", "srv"), Path.Combine(_root, "outside"));

        Assert.Empty(tree.List(inner));
        Assert.Empty(tree.List(tree.Enter(inner, innerEntry)));
        Assert.Equal("srv", Assert.Single(tree.List(tree.Root)).Name);
        Assert.Equal(Core.Interop.FileKind.Symlink, tree.List(tree.Root).Single().Status.Kind);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
