using LxcSnap.Cli;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

return LxcSnapCommand.Run(args, Console.Out, Console.Error);
