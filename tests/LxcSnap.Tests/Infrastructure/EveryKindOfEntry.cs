namespace LxcSnap.Tests.Infrastructure;

/// <summary>
/// Writes, with the usual command-line tools, a directory holding every kind of entry and attribute
/// a container's root filesystem can have and a copy must keep.
/// </summary>
public static class EveryKindOfEntry
{
    /// <summary>A file of random data (1 MiB), whose extents a reflink copy shares.</summary>
    public const string DataFile = "srv/data.bin";

    /// <summary>16 MiB long, one 4 KiB block of data at 4 MiB, the rest holes.</summary>
    public const string SparseFile = "srv/sparse";

    public static void WriteInto(string rootfs) => Shell.Check("sh", "-euc", Script, "sh", rootfs);

    private const string Script = """
        cd "$1"
        mkdir -p srv/sub other
        head -c 1048576 /dev/urandom > srv/data.bin
        printf 'setuid program\n' > srv/program
        chown 1234:5678 srv/program
        chmod 4751 srv/program
        truncate -s 16M srv/sparse
        dd if=/dev/urandom of=srv/sparse bs=4096 count=1 seek=1024 conv=notrunc status=none
        ln srv/program srv/program-hardlink
        ln srv/data.bin other/data-hardlink
        ln -s ../srv/program srv/symlink
        chown -h 42:43 srv/symlink
        mkfifo srv/fifo
        mknod srv/null-device c 1 3
        chmod 0620 srv/null-device
        setfattr -n user.comment -v hello srv/program
        setfattr -n trusted.overlay.opaque -v y srv/sub
        setfattr -h -n trusted.link -v yes srv/symlink
        mkdir -m 1777 srv/sticky
        mkdir -m 0700 srv/private
        printf 'secret\n' > srv/private/key
        chown -R 100000:100000 srv/private
        touch -m -d '2021-03-04 05:06:07.123456789' srv/program srv/sparse
        touch -a -d '2020-01-02 03:04:05.987654321' srv/program
        touch -h -d '2019-05-06 07:08:09.555555555' srv/symlink
        touch -d '2018-01-01 00:00:00.000000001' srv/fifo srv/null-device srv/private srv/sub
        """;
}
