using LxcSnap.Cli;

// Console.Out writes through at every line: a listing of 1000 snapshots would be thousands of
// write(2) calls. Buffer stdout and flush once; stderr stays unbuffered for progress and errors.
// (4K characters, a few writes for a long JSON listing: every start-up zeroes the buffer, and
// one of 64K was a tenth of its page faults.)
using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 4 * 1024) { AutoFlush = false };
return LxcSnapCommand.Run(args, stdout, Console.Error);
