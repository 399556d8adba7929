using LxcSnap.Cli;

return LxcSnapCommand.Run(args, Console.Out, Console.Error);
